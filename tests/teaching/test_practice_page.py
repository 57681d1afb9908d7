"""/teaching/<id>/practice/: outcomes of the practice tasks, written as a logbook correction."""

from django.urls import reverse

from dianjiao.logbook.models import LogbookEntry

from .conftest import record, record_key


def test_it_records_outcomes_and_returns_to_the_session(cast, clock, login):
    session = record_key(cast)
    tasks = {t.who: t for t in session.practice_tasks.all()}
    clock.tick(days=10)
    url = reverse("teaching:practice", args=[session.pk])
    response = login(cast.world.operator).post(
        url,
        {
            f"outcome_{tasks['张三'].pk}": "修好了两户的羊圈",
            f"outcome_{tasks['党员先锋岗'].pk}": "",
            "reason": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "teaching:detail", args=[session.pk]
    )
    tasks["张三"].refresh_from_db()
    assert tasks["张三"].outcome == "修好了两户的羊圈"
    assert LogbookEntry.objects.filter(corrects=session.entry).count() == 1


def test_an_empty_submission_says_what_is_wanted(cast, clock, login):
    session = record_key(cast)
    response = login(cast.world.operator).post(
        reverse("teaching:practice", args=[session.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    assert "请至少填写一项新的实践成效" in response.content.decode()


def test_a_session_without_tasks_points_to_the_correction(cast, clock, login):
    session = record(cast)
    page = (
        login(cast.world.operator)
        .get(reverse("teaching:practice", args=[session.pk]))
        .content.decode()
    )
    assert "本场没有实践任务" in page
