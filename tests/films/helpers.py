"""Small factories for the film tests, on top of the standard World (tests/factories.py).

Writes go through the services, as the station would make them, so every test exercises the
same rules the pages do.
"""

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dianjiao.films import services
from dianjiao.films.models import FilmCopy, Language, Theme
from dianjiao.lib.dates import today

_seq = itertools.count(1)

# The first bytes of real containers: enough for the content check, and for a <video> to try.
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01"


def theme(name="先进性教育"):
    # get_or_create: a transactional test's flush empties the data migration's rows.
    return Theme.objects.get_or_create(name=name)[0]


def language(name="普通话"):
    return Language.objects.get_or_create(name=name)[0]


def film(world, title=None, **kw):
    kw.setdefault("duration_minutes", 45)
    return services.film_create(user=world.station, title=title or f"测试片{next(_seq)}", **kw)


def copy(world, film_obj=None, inventory_no=None, **kw):
    return services.copy_create(
        user=world.station,
        film=film_obj or film(world),
        inventory_no=inventory_no or f"DJ-{next(_seq):04d}",
        **kw,
    )


def video_upload(name="榜样7.mp4", content=None, content_type="video/mp4", size=2048):
    body = content if content is not None else MP4_HEAD + bytes(range(256)) * (size // 256 + 1)
    if content is None:
        body = body[:size]
    return SimpleUploadedFile(name, body, content_type=content_type)


def digital_copy(world, film_obj=None, content=None, name="榜样7.mp4", content_type="video/mp4"):
    c = copy(world, film_obj, medium=FilmCopy.Medium.FILE)
    return services.copy_attach_video(
        copy=c, user=world.station, file=video_upload(name, content, content_type)
    )


def approved_request(world, films, *, village=None, author=None, wanted_on=None):
    village = village or world.village
    author = author or (world.operator if village == world.village else world.other_op)
    wanted_on = wanted_on or today() + dt.timedelta(days=10)
    r = services.request_create(
        village=village, author=author, lines=[(f, wanted_on) for f in films]
    )
    return services.request_approve(film_request=r, user=world.station)


def loan(world, copy_obj=None, *, village=None, due_on=None, at=None):
    return services.loan_dispatch(
        copy=copy_obj or copy(world),
        user=world.station,
        village=village or world.village,
        due_on=due_on or today() + dt.timedelta(days=30),
        at=at,
    )


def overdue_loan(world, copy_obj=None, *, village=None, days=5):
    """A loan dispatched 35 days ago, due `days` days ago, never returned."""
    at = timezone.now() - dt.timedelta(days=35)
    return loan(world, copy_obj, village=village, at=at, due_on=today() - dt.timedelta(days=days))
