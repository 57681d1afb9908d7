"""Logbook checkpoints that live outside the database: every issued bulletin carries each
village's chain head (entry count and head hash) as of its period's end. A copy of the whole
database restored from before the bulletin cannot reach those heads, and `verify-logbook
--checkpoints FILE` (an issued bulletin's .docx or its checkpoints .json) names the village."""

import json
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _


def read(path) -> dict:
    """The {village id: {name, count, head}} of a checkpoint file: the bulletin's .json, or its
    .docx (the annex table: id, village, count, head)."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        return read_docx(path)
    payload = json.loads(path.read_bytes().decode("utf-8"))
    return payload.get("checkpoints", payload)


def check(checkpoints: dict) -> list[str]:
    """A message for every village whose logbook no longer reaches its published head."""
    from dianjiao.logbook.models import LogbookEntry

    wanted = {int(v): c for v, c in checkpoints.items() if c.get("count")}
    found = {
        (vid, seq): digest
        for vid, seq, digest in LogbookEntry.objects.filter(
            village_id__in=wanted, seq__in={c["count"] for c in wanted.values()}
        ).values_list("village_id", "seq", "hash")
    }
    problems = []
    for vid, c in sorted(wanted.items(), key=lambda kv: kv[1]["name"]):
        digest = found.get((vid, c["count"]))
        if digest is None:
            problems.append(
                _("%(village)s：通报公布的第%(n)d条记录已不存在（数据库可能被回滚）")
                % {"village": c["name"], "n": c["count"]}
            )
        elif digest != c["head"]:
            problems.append(
                _("%(village)s：第%(n)d条记录的哈希与通报公布的链头不一致")
                % {"village": c["name"], "n": c["count"]}
            )
    return problems


def check_issued_bulletins() -> list[str]:
    """The same check against every issued bulletin still in the database."""
    from .models import Bulletin

    problems = []
    for title, cps in Bulletin.objects.filter(status=Bulletin.Status.ISSUED).values_list(
        "title", "checkpoints"
    ):
        problems += [f"{title}：{p}" for p in check(cps or {})]
    return problems


def read_docx(path) -> dict:
    from docx import Document

    tables = [t for t in Document(str(path)).tables if len(t.columns) == 4]
    if not tables:
        raise ValueError(_("该文件不是带手册链头的通报"))
    out = {}
    for row in tables[-1].rows[1:]:
        vid, name, count, head = (c.text.strip() for c in row.cells)
        out[vid] = {"name": name, "count": int(count), "head": "" if head == "—" else head}
    return out
