import datetime as dt
import random

from dianjiao.demo.oversight import build_oversight
from dianjiao.oversight import selectors
from dianjiao.oversight.models import (
    Assessment,
    Bulletin,
    DemoUnit,
    Inspection,
    Meeting,
    Rectification,
    Training,
)


def test_the_demo_oversight_year(world):
    as_of = dt.date(2026, 11, 29)
    users = [world.station, world.leader, world.inspector, world.operator, world.other_op]
    report = build_oversight(random.Random(7), township=world.township, users=users, as_of=as_of)
    assert report.inspections == Inspection.objects.count() > 20
    # Neither demo village held a viewing (no history here): every month's viewing item fails,
    # so there are rectifications in every state the story tells.
    rects = Rectification.objects.all()
    assert rects.filter(status="accepted").exists()
    overdue = [r for r in rects if r.overdue_on(as_of)]
    assert len(overdue) == 1
    assert Bulletin.objects.filter(status="issued", period="month").count() >= 9
    assert Bulletin.objects.filter(status="issued", period="half").exists()
    assert Bulletin.objects.filter(status="issued", period="year", year=2025).exists()
    assert Bulletin.objects.filter(status="submitted").count() == 1
    assert Meeting.objects.filter(kind="joint").count() == 4
    assert Meeting.objects.filter(kind="summary").count() == 2
    assert Training.objects.get().attendance.count() == 2
    assert DemoUnit.objects.filter(kind="village", status="named").count() == 2
    assert DemoUnit.objects.filter(kind="household").count() == 2
    assert Assessment.objects.get(year=2025).status == "published"
    assert Assessment.objects.get(year=2026).status == "draft"
    # This month's checks are under way: the station's to-do list shows what is left.
    todos = selectors.todos_for(world.station, as_of)
    assert any("未检查" in t.text for t in todos)
    assert any(t.overdue for t in selectors.todos_for(world.leader, as_of)) is False
