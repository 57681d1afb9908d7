import io

import pytest
from django.core.management import CommandError, call_command


def test_it_measures_each_page_with_its_query_count(world):
    out = io.StringIO()
    call_command("bench", "--repeat", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["page", "median", "ms", "max", "ms", "queries"]
    coverage = next(line for line in lines if line.startswith("/coverage/"))
    assert int(coverage.split()[-1]) > 0


def test_it_needs_a_station_to_measure(db):
    with pytest.raises(CommandError, match="电教站管理员"):
        call_command("bench", "--repeat", "1")
