"""Exports of the oversight pages: .xlsx tables (user text never read as a formula) and the
bulletin (通报) as an official .docx by the one writer of official documents,
dianjiao.lib.official_docx (GB/T 9704: red header and rule, FangSong body, East Asian fonts set),
the quarterly report's too."""

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.shared import Pt

from dianjiao.lib import official_docx as official
from dianjiao.lib.xlsx import write_table

from .models import Rectification
from .services import COMPONENTS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """Text a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _table(title, headers, rows) -> bytes:
    return write_table(title, headers, ([safe(v) for v in row] for row in rows))


def inspections_xlsx(qs) -> bytes:
    headers = [
        _("检查日期"),
        _("检查类别"),
        _("村"),
        _("播放点"),
        _("检查人"),
        _("得分"),
        _("满分"),
        _("得分率"),
        _("版本"),
        _("检查情况"),
    ]
    rows = (
        [
            i.inspected_on,
            i.get_kind_display(),
            i.village.name,
            i.point.name if i.point else _("整村"),
            str(i.inspector),
            i.score,
            i.max_score,
            i.percent,
            i.version,
            i.observation,
        ]
        for i in qs
    )
    return _table(_("检查记录"), headers, rows)


def rectifications_xlsx(qs) -> bytes:
    headers = [_("整改村"), _("问题"), _("检查日期"), _("整改期限"), _("状态"), _("整改情况")]
    rows = (
        [
            r.village.name,
            r.problem,
            r.inspection.inspected_on,
            r.due_on,
            r.get_status_display(),
            r.response,
        ]
        for r in qs
    )
    return _table(_("整改"), headers, rows)


def assessment_xlsx(assessment, scores) -> bytes:
    from .forms import COMPONENT_LABELS

    headers = [_("名次"), _("党支部"), _("得分"), _("更正后得分"), _("先进候选")]
    headers += [str(COMPONENT_LABELS[k]) for k in COMPONENTS]
    rows = []
    for s in scores:
        amendments = list(s.amendments.all())
        row = [
            s.rank,
            s.village.branch_name or s.village.name,
            float(s.score),
            float(amendments[-1].new_score) if amendments else "",
            _("是") if s.candidate else "",
        ]
        for k in COMPONENTS:
            c = s.components.get(k) or {}
            rate = c.get("rate")
            row.append(
                f"{c.get('points', 0)}（{'—' if rate is None else f'{rate}%'}，{c.get('detail', '')}）"
            )
        rows.append(row)
    return _table(_("%(y)s年度考核") % {"y": assessment.year}, headers, rows)


def demos_xlsx(qs) -> bytes:
    headers = [
        _("年度"),
        _("类别"),
        _("村"),
        _("播放点/示范户"),
        _("包村单位"),
        _("包村单位投入"),
        _("示范成效"),
        _("状态"),
        _("命名日期"),
        _("挂牌日期"),
    ]
    rows = (
        [
            u.year,
            u.get_kind_display(),
            u.village.name,
            u.household or (u.point.name if u.point else ""),
            u.sponsor,
            u.contribution,
            u.evidence,
            u.get_status_display(),
            u.named_on,
            u.plaque_on,
        ]
        for u in qs
    )
    return _table(_("示范单位"), headers, rows)


def bulletin_docx(bulletin) -> bytes:
    """The bulletin in the official layout (dianjiao.lib.official_docx): red issuing-unit header
    and document number over a red rule, title, numbered sections, the ranking table, the
    rectifications due, issuing unit and date, and an annex with every village's logbook chain
    head (the checkpoints)."""
    doc = official.new_document()
    township = bulletin.township
    unit = township.station_name or _("%(t)s党员电化教育工作站") % {"t": township.name}
    official.red_header(doc, _("%(t)s党员电教工作通报") % {"t": township.name})
    if bulletin.number:
        official.paragraph(doc, bulletin.number, align=official.CENTER, indent=False)
    official.red_rule(doc.paragraphs[-1])
    official.title(doc, bulletin.title)
    official.paragraph(doc, _("各村党支部："), indent=False)
    official.body(doc, bulletin.summary)
    official.heading(doc, _("一、检查得分排名"))
    official.table(
        doc,
        (
            (
                n,
                r["name"],
                "—" if r.get("score") is None else f"{r['score']}%",
                r.get("inspections", 0),
            )
            for n, r in enumerate(bulletin.ranking, start=1)
        ),
        header=(_("名次"), _("村"), _("平均得分率"), _("检查次数")),
        size=12,
    )
    if bulletin.good_practice:
        official.heading(doc, _("二、好的做法"))
        official.body(doc, bulletin.good_practice)
    if bulletin.problems:
        official.heading(doc, _("三、存在问题"))
        official.body(doc, bulletin.problems)
    if bulletin.rectifications_due:
        official.heading(doc, _("四、限期整改事项"))
        statuses = dict(Rectification.Status.choices)
        for n, r in enumerate(bulletin.rectifications_due, start=1):
            official.paragraph(
                doc,
                _("%(n)d. %(village)s：%(problem)s（期限%(due)s，%(status)s）")
                % {
                    "n": n,
                    "village": r["village"],
                    "problem": r["problem"],
                    "due": r["due_on"],
                    "status": statuses.get(r["status"], r["status"]),
                },
            )
    official.signature(doc, unit, timezone.localdate(bulletin.issued_at or bulletin.drafted_at))
    if bulletin.checkpoints:
        official.heading(doc, _("附件：各村《电教手册》链头（核对用）"), 14, indent=False)
        # checkpoints.read_docx reads this table back: id, village, count, head.
        heads = sorted(bulletin.checkpoints.items(), key=lambda kv: kv[1]["name"])
        t = official.table(
            doc,
            ((vid, c["name"], c["count"], c["head"] or "—") for vid, c in heads),
            header=(_("编号"), _("村"), _("条数"), _("链头哈希")),
            size=12,
        )
        for row in t.rows[1:]:
            row.cells[3].paragraphs[0].runs[0].font.size = Pt(8)
    doc.core_properties.title = bulletin.title
    doc.core_properties.author = unit
    return official.to_bytes(doc)


def assessment_docx(assessment, scores) -> bytes:
    """The year's assessment in the official layout (dianjiao.lib.official_docx), as the bulletin
    and the quarterly report: the station's red header over a red rule, the title, the ranking
    table best first (an amended score shown beside its original), the candidates for advanced
    branch, the weights the scores were built from, issuing unit and date. `scores`: the rows the
    reader may see (selectors.scores_of), with their amendments prefetched."""
    from .forms import COMPONENT_LABELS

    doc = official.new_document()
    township = assessment.township
    unit = township.station_name or _("%(t)s党员电化教育工作站") % {"t": township.name}
    official.red_rule(official.red_header(doc, unit))
    title = _("%(t)s%(y)s年度党支部党员电教工作考核结果") % {
        "t": township.name,
        "y": assessment.year,
    }
    if assessment.status != assessment.Status.PUBLISHED:
        title += _("（草稿）")
    official.title(doc, title)
    official.paragraph(doc, _("各村党支部："), indent=False)
    official.paragraph(
        doc,
        _(
            "根据全年检查记录和电教工作完成情况，按乡电教站确定的权重，"
            "对各党支部%(y)s年度党员电教工作提出考核建议得分如下。"
        )
        % {"y": assessment.year},
    )
    official.heading(doc, _("一、考核得分排名"))
    rows = []
    for s in scores:
        amendments = list(s.amendments.all())
        shown = f"{s.score}"
        if amendments:
            shown = _("%(new)s（原%(old)s，已更正）") % {
                "new": amendments[-1].new_score,
                "old": s.score,
            }
        rows.append(
            (
                s.rank,
                s.village.branch_name or s.village.name,
                shown,
                _("是") if s.candidate else "",
            )
        )
    official.table(doc, rows, header=(_("名次"), _("党支部"), _("得分"), _("先进候选")), size=12)
    candidates = [s.village.branch_name or s.village.name for s in scores if s.candidate]
    official.heading(doc, _("二、先进党支部候选"))
    official.paragraph(doc, _("、").join(candidates) if candidates else _("无"))
    official.heading(doc, _("三、评分办法"))
    weights = _("、").join(
        f"{COMPONENT_LABELS[k]}{assessment.weights.get(k, 0)}"
        for k in COMPONENTS
        if assessment.weights.get(k)
    )
    official.paragraph(
        doc,
        _("各分项按完成率乘以权重计分（%(w)s），无可评判记录的分项不计入，按其余分项的权重折算。")
        % {"w": weights},
    )
    day = assessment.published_at or assessment.computed_at
    official.signature(doc, unit, timezone.localdate(day) if day else timezone.localdate())
    doc.core_properties.title = title
    doc.core_properties.author = unit
    return official.to_bytes(doc)
