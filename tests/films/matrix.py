"""Objects for the access matrix (tests/test_access_matrix.py): each builder makes what a film
URL needs in the standard World and returns the URL's kwargs. Everything belongs to 红星村 or
to its township's library, so other villages and townships must get 404."""

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dianjiao.films import services
from dianjiao.films.models import FilmCopy
from dianjiao.lib.dates import today
from tests.films import helpers

PROBE = "films/access-matrix-probe.mp4"


def film(w):
    return {"pk": helpers.film(w, "榜样7").pk}


def copy(w):
    return {"pk": helpers.copy(w, helpers.film(w, "榜样7")).pk}


def digital_copy(w):
    """A digital copy with a video on disk. The matrix runs without the film tests' temporary
    MEDIA_ROOT, so one fixed, tiny probe file is (re)written instead of a new one per case."""
    c = helpers.copy(w, helpers.film(w, "榜样7"), medium=FilmCopy.Medium.FILE)
    if default_storage.exists(PROBE):
        default_storage.delete(PROBE)
    default_storage.save(PROBE, ContentFile(helpers.MP4_HEAD))
    FilmCopy.objects.filter(pk=c.pk).update(
        file_name=PROBE, file_type="video/mp4", file_size=len(helpers.MP4_HEAD)
    )
    return {"pk": c.pk}


def request(w):
    return {
        "pk": services.request_create(
            village=w.village,
            author=w.operator,
            lines=[(helpers.film(w, "榜样7"), today() + dt.timedelta(days=9))],
        ).pk
    }


def loan(w):
    return {"pk": helpers.loan(w).pk}
