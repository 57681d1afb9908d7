"""Builders for the oversight tests."""

import datetime as dt

from dianjiao.oversight import services
from dianjiao.oversight.models import ChecklistItem

ITEMS = [
    {"text": "设备完好、正常使用", "max_score": 20},
    {"text": "电教手册当天填写", "max_score": 30},
    {"text": "当月组织收看", "max_score": 50, "source": ChecklistItem.Source.VIEWING},
]


def template(world, items=ITEMS, title="月查细则"):
    return services.template_create(
        user=world.station, township=world.township, title=title, items=items
    )


def answers(tpl, *statuses, scores=None, **extra):
    """{item pk: answer} in item order: statuses like "meets"; full marks for meets, half for
    partly, 0 otherwise unless `scores` says."""
    out = {}
    for n, (item, status) in enumerate(zip(tpl.items.all(), statuses, strict=True)):
        score = {"meets": item.max_score, "partly": item.max_score // 2}.get(status, 0)
        if scores is not None:
            score = scores[n]
        out[item.pk] = {"status": status, "score": score, **extra.get(f"i{n}", {})}
    return out


def inspect(world, tpl, *statuses, user=None, village=None, day=None, **kw):
    return services.inspection_record(
        user=user or world.inspector,
        village=village or world.village,
        point=kw.pop("point", world.point if village in (None, world.village) else None),
        kind=kw.pop("kind", "monthly"),
        inspected_on=day or dt.date(2026, 11, 20),
        template=tpl,
        answers=answers(tpl, *statuses, **kw),
    )
