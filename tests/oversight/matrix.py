"""Role × URL cases of the oversight pages, in the access matrix's format:
{url name: (builder or None, {persona: expected status})}. A builder takes the World and returns
the URL kwargs. The project-wide matrix can take these in with `**CASES`."""

import datetime as dt

from dianjiao.oversight import services
from tests.infoitems.helpers import png
from tests.oversight.helpers import template

PERSONAS = ["station", "leader", "inspector", "county", "operator", "other_op", "outsider"]
ALL = dict.fromkeys(PERSONAS, 200)


def _st(**kw):
    """Station-only write pages of one's own township (the outsider station writes its own)."""
    return {**dict.fromkeys(PERSONAS, 403), "station": 200, "outsider": 200, **kw}


def own(**kw):
    """An object of 红星村: its township and county see it, other villages and townships 404."""
    return {**ALL, "other_op": 404, "outsider": 404, **kw}


def township_wide(**kw):
    return {**ALL, "outsider": 404, **kw}


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


def training(w):
    t = services.training_record(
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
    return {"pk": t.pk}


def demo(w):
    u = services.demo_unit_save(user=w.station, village=w.village, kind="village", year=2026)
    return {"pk": u.pk}


READ_ONLY_403 = {"leader": 403, "inspector": 403, "county": 403}
CASES = {
    "oversight:overview": (None, ALL),
    "oversight:templates": (None, ALL),
    "oversight:template_new": (None, _st()),
    "oversight:inspections": (None, ALL),
    "oversight:inspections_export": (None, ALL),
    "oversight:inspection_new": (None, _st(inspector=200)),
    "oversight:inspection": (inspection, own()),
    "oversight:inspection_correct": (
        inspection,
        own(leader=403, county=403, operator=403, inspector=200),
    ),
    "oversight:inspection_photo": (photo, own()),
    "oversight:rectifications": (None, ALL),
    "oversight:rectifications_export": (None, ALL),
    "oversight:rectification": (rectification, own()),
    "oversight:rectification_accept": (rectification, own(**READ_ONLY_403, operator=403)),
    "oversight:rectification_return": (rectification, own(**READ_ONLY_403, operator=403)),
    "oversight:rectification_evidence": (rectification, own()),
    "oversight:bulletins": (None, ALL),
    "oversight:bulletin_new": (None, _st()),
    "oversight:bulletin": (issued_bulletin, township_wide()),
    "oversight:bulletin_edit": (
        draft_bulletin,
        {**dict.fromkeys(PERSONAS, 404), "station": 200, "leader": 403},
    ),
    "oversight:bulletin_submit": (
        draft_bulletin,
        {**dict.fromkeys(PERSONAS, 404), "station": 200, "leader": 403},
    ),
    "oversight:bulletin_approve": (
        submitted_bulletin,
        {**dict.fromkeys(PERSONAS, 404), "station": 403, "leader": 200},
    ),
    "oversight:bulletin_return": (
        submitted_bulletin,
        {**dict.fromkeys(PERSONAS, 404), "station": 403, "leader": 200},
    ),
    "oversight:bulletin_docx": (issued_bulletin, township_wide()),
    "oversight:bulletin_checkpoints": (issued_bulletin, township_wide()),
    "oversight:assessments": (None, ALL),
    "oversight:assessment_compute": (None, _st()),
    "oversight:assessment": (published_assessment, township_wide()),
    "oversight:assessment_publish": (
        draft_assessment,
        {**dict.fromkeys(PERSONAS, 404), "station": 403, "leader": 200, "inspector": 403},
    ),
    "oversight:assessment_export": (published_assessment, township_wide()),
    "oversight:score_amend": (score, own(**READ_ONLY_403, operator=403)),
    "oversight:meetings": (None, ALL),
    "oversight:meeting_new": (None, {**dict.fromkeys(PERSONAS, 403), "leader": 200}),
    "oversight:meeting": (meeting, township_wide()),
    "oversight:meeting_record": (
        meeting,
        {**dict.fromkeys(PERSONAS, 403), "leader": 200, "outsider": 404},
    ),
    "oversight:action_close": (
        action,
        township_wide(**READ_ONLY_403, other_op=403),
    ),
    "oversight:trainings": (None, ALL),
    "oversight:training_new": (None, _st()),
    "oversight:training": (training, township_wide()),
    "oversight:demos": (None, ALL),
    "oversight:demos_export": (None, ALL),
    "oversight:demo_new": (None, _st()),
    "oversight:demo": (demo, own()),
    "oversight:demo_edit": (demo, own(**READ_ONLY_403, operator=403)),
    "oversight:demo_name": (demo, own(**READ_ONLY_403, operator=403)),
}
