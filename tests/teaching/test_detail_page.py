"""/teaching/<id>/: who came, who did not (first), the four rings, the logbook entries."""

from django.urls import reverse

from .conftest import ABSENT, EXCUSED, local, record, record_key


def test_it_answers_who_is_missing_and_states_the_denominator(cast, clock, login):
    session = record(
        cast,
        attendance={
            **cast.everyone(),
            cast.wang.pk: (EXCUSED, "herding"),
            cast.zhao.pk: (ABSENT, ""),
        },
        guests=[("马丽", "邻村党员")],
    )
    page = (
        login(cast.world.operator)
        .get(reverse("teaching:detail", args=[session.pk]))
        .content.decode()
    )
    assert "到课率 = 实到 ÷ 应到（4 人）" in page
    assert "<b>50.0%</b>" in page
    assert '<h3>缺席（1）</h3>\n  <ul class="names"><li>赵六</li></ul>' in page
    assert "王五（放牧转场）" in page
    assert "马丽（邻村党员）" in page
    assert f'href="/logbook/{session.entry_id}/"' in page


def test_it_marks_each_missing_ring_of_a_key_session(cast, clock, login):
    session = record_key(
        cast, four_ring={"preparation": "备课", "prepared_at": local(2026, 11, 28, 9, 0)}
    )
    page = (
        login(cast.world.operator)
        .get(reverse("teaching:detail", args=[session.pk]))
        .content.decode()
    )
    assert '<span class="tag bad">四环不完整</span>' in page
    assert page.count('<span class="tag bad">缺</span>') == 4
    assert page.count('<span class="tag ok">✓</span>') == 1


def test_read_only_roles_get_no_edit_buttons(cast, clock, login):
    session = record_key(cast)
    url = reverse("teaching:detail", args=[session.pk])
    assert "记录实践成效" in login(cast.world.operator).get(url).content.decode()
    assert "记录实践成效" not in login(cast.world.leader).get(url).content.decode()
