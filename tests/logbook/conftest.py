import datetime as dt

from django.utils import timezone

from dianjiao.logbook import services
from dianjiao.logbook.models import LogbookEntry
from tests.clock import NOW, TODAY, Clock, clock, local  # noqa: F401  (the stories' clock, re-exported)

YESTERDAY = TODAY - dt.timedelta(days=1)


def append(world, *, village=None, author=None, **kw) -> LogbookEntry:
    kw.setdefault("kind", LogbookEntry.Kind.OTHER)
    kw.setdefault("title", "电教室设备检查")
    kw.setdefault("body", {"text": "电视机、影碟机正常"})
    kw.setdefault("occurred_at", timezone.now())
    return services.entry_append(
        village=village or world.village, author=author or world.operator, **kw
    )
