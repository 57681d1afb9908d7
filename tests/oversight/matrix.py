"""Objects for the access matrix (tests/test_access_matrix.py): each builder makes what an
oversight URL needs in the World (an inspection of 红星村, a bulletin or an assessment of 乌伦古乡,
...) and returns the URL's kwargs."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from dianjiao.oversight import services
from tests.infoitems.helpers import png
from tests.oversight.helpers import template


def _inspection(w):
    tpl = template(w)
    return services.inspection_record(
        user=w.inspector,
        village=w.village,
        point=w.point,
        kind="monthly",
        inspected_on=dt.date(2026, 11, 20),
        template=tpl,
        answers={
            i.pk: {"status": s, "score": 0}
            for i, s in zip(tpl.items.all(), ("meets", "fails", "fails"), strict=True)
        },
        photos=[png()],
    )


def inspection(w):
    return {"pk": _inspection(w).pk}


def photo(w):
    return {"pk": _inspection(w).photos.get().pk}


def rectification(w):
    rect = _inspection(w).rectifications.first()
    rect = services.rectification_submit(
        user=w.operator, rectification=rect, response="已整改", photo=png()
    )
    return {"pk": rect.pk}


def _draft(w):
    template(w)
    return services.bulletin_draft(
        user=w.station, township=w.township, period="month", year=2026, part=11
    )


def draft_bulletin(w):
    return {"pk": _draft(w).pk}


def submitted_bulletin(w):
    return {"pk": services.bulletin_submit(user=w.station, bulletin=_draft(w)).pk}


def issued_bulletin(w):
    b = services.bulletin_submit(user=w.station, bulletin=_draft(w))
    return {"pk": services.bulletin_approve(user=w.leader, bulletin=b).pk}


def _assessment(w, publish=False):
    _inspection(w)
    a = services.assessment_compute(user=w.station, township=w.township, year=2026)
    if publish:
        a = services.assessment_publish(user=w.leader, assessment=a)
    return a


def draft_assessment(w):
    return {"pk": _assessment(w).pk}


def published_assessment(w):
    return {"pk": _assessment(w, publish=True).pk}


def score(w):
    return {"pk": _assessment(w, publish=True).scores.get(village=w.village).pk}


def _meeting(w):
    m = services.meeting_convene(
        user=w.leader,
        township=w.township,
        kind="joint",
        held_on=dt.date(2026, 10, 8),
        place="乡政府会议室",
        agenda="三季度工作",
    )
    return services.meeting_record(
        user=w.leader,
        meeting=m,
        minutes="纪要",
        attendance=[{"village": w.village, "name": "刘电教"}],
        actions=[{"text": "更换投影仪", "village": w.village, "due_on": dt.date(2026, 12, 1)}],
    )


def meeting(w):
    return {"pk": _meeting(w).pk}


def action(w):
    return {"pk": _meeting(w).actions.get().pk}


def _training(w):
    return services.training_record(
        user=w.station,
        township=w.township,
        kind="theory",
        title="电教业务培训",
        starts_on=dt.date(2026, 5, 10),
        ends_on=dt.date(2026, 5, 10),
        hours=6,
        trainers="县电教中心",
        attendees=[{"village": w.village, "name": "刘电教"}],
    )


def training(w):
    return {"pk": _training(w).pk}


def material(w):
    """A material handed out at 乌伦古乡's training (not withdrawn)."""
    m = services.training_material_add(
        user=w.station, training=_training(w), file=pdf(), title="讲义"
    )
    return {"pk": m.pk}


def cadre(w):
    """刘电教 of 红星村, who attended the training."""
    _training(w)
    return {"village": w.village.pk, "name": "刘电教"}


def pdf(name="讲义.pdf", body=b"%PDF-1.4\n% training notes\n"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def demo(w):
    u = services.demo_unit_save(user=w.station, village=w.village, kind="village", year=2026)
    return {"pk": u.pk}
