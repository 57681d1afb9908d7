"""`dianjiao bench` on a tiny database, so that it cannot rot: every page and job is measured as
both roles, beside its floor, with the data size stated. No timing is asserted: the figures
live in docs/performance.md."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from dianjiao.members.models import Member
from dianjiao.web.management.commands.bench import EXPORTS, PAGES


def _bench(*args):
    out = io.StringIO()
    call_command("bench", "--repeat", "1", "--job-repeat", "1", *args, stdout=out)
    return out.getvalue()


def _rows(text):
    """The table's rows as lists of cells, header and rule left out."""
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    assert lines[0].split(" | ")[:3] == ["| what", "as", "median ms"]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[1:]]


def test_it_measures_every_page_and_job_as_both_roles_beside_its_floor(world):
    members_before = Member.objects.count()

    text = _bench("--import-rows", "20")

    data = re.search(r"^data: (.*)$", text, re.M).group(1)
    for what in ("townships", "villages", "members", "attendance rows", "logbook entries"):
        assert re.search(rf"\d+ {what}", data), what
    assert re.search(r"^database: SQLite|^database: PostgreSQL", text, re.M)
    assert re.search(r"load average before: [\d.]+", text)
    assert "county viewer = county" in text

    rows = _rows(text)
    measured = {(row[0].strip("`"), row[1]) for row in rows}
    for page, _floor in PAGES:
        assert {(page, "station"), (page, "county")} <= measured, page
    for what, _url, _floor in EXPORTS:
        assert {(what, "station"), (what, "county")} <= measured, what
    assert ("verify-logbook", "-") in measured
    assert ("roster import, 20 rows", "station") in measured

    for what, who, median, cpu, runs, queries, _kb, floor, ratio, note in rows:
        assert "failed" not in note and "HTTP" not in note and "refused" not in note, (what, who)
        assert float(median) > 0 and float(cpu) >= 0 and runs == "1" and int(queries) > 0, what
        assert float(floor) > 0 and ratio.endswith("×"), what

    imported = next(row for row in rows if row[0].startswith("`roster import"))
    assert "created 20" in imported[-1]
    # Rolled back: the database is as it was.
    assert Member.objects.count() == members_before


def test_it_measures_the_paths_it_is_given(world):
    rows = _rows(_bench("--path", "/coverage/", "--no-jobs"))
    assert [(r[0], r[1]) for r in rows] == [("`/coverage/`", "station"), ("`/coverage/`", "county")]
    assert int(rows[0][5]) > 0 and rows[0][7] == "—"  # no floor for a path given by hand


def test_it_needs_a_station_to_measure(db):
    with pytest.raises(CommandError, match="电教站管理员"):
        call_command("bench", "--repeat", "1")
