"""/teaching/<id>/correct/: a correction with a reason; the original stays in the logbook."""

from django.urls import reverse

from dianjiao.logbook.models import LogbookEntry

from .conftest import ABSENT, EXCUSED, PRESENT, local, record_key


def _data(cast, session, **changes):
    data = {
        "preparation": session.preparation,
        "prepared_at": "2026-11-28T15:00",
        "prompts": session.prompts,
        "record_notes": session.record_notes,
        "discussion": session.discussion,
        "notes": session.notes,
        "speakers": [m.pk for m in session.speakers.all()],
        "reason": "",
    }
    for r in session.attendances.all():
        data[f"m{r.member_id}_status"] = r.status
        data[f"m{r.member_id}_reason"] = r.excuse_reason
    data.update(changes)
    return data


def test_it_completes_a_missing_ring_with_a_reason(cast, clock, login):
    session = record_key(
        cast, four_ring={"preparation": "备课", "prepared_at": local(2026, 11, 28, 15, 0)}
    )
    url = reverse("teaching:correct", args=[session.pk])
    client = login(cast.world.operator)
    assert 'value="2026-11-28T15:00"' in client.get(url).content.decode()
    data = _data(
        cast,
        session,
        prompts="暂停提示",
        record_notes="全体到场",
        discussion="讨论了",
        speakers=[cast.zhang.pk],
        task0_group="全体党员",
        task0_task="防火巡查",
        task0_due="2026-12-31",
        reason="当天记在纸上，今天录入",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert session.four_ring_complete
    assert LogbookEntry.objects.get(corrects=session.entry).reason == "当天记在纸上，今天录入"


def test_it_wants_a_reason(cast, clock, login):
    session = record_key(cast)
    response = login(cast.world.operator).post(
        reverse("teaching:correct", args=[session.pk]), _data(cast, session, notes="补充")
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors


def test_it_corrects_a_status(cast, clock, login):
    session = record_key(cast, attendance={**cast.everyone(), cast.wang.pk: (ABSENT, "")})
    data = _data(cast, session, reason="王五请过假")
    data[f"m{cast.wang.pk}_status"], data[f"m{cast.wang.pk}_reason"] = EXCUSED, "illness"
    response = login(cast.world.operator).post(reverse("teaching:correct", args=[session.pk]), data)
    assert response.status_code == 302
    assert session.attendances.get(member=cast.wang).excuse_reason == "illness"
    assert session.attendances.get(member=cast.zhang).status == PRESENT
