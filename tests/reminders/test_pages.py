"""The profile where users choose how to be reminded, the station's page of what was sent and
who cannot be reached, and the home page's last reminders."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from dianjiao.reminders.models import Digest, ReminderProfile

from .conftest import choose


def post_profile(client, url=None, **data):
    form = {
        "phone": "",
        "email": "",
        "wecom_webhook": "",
        "language": "zh-hans",
        **data,
    }
    return client.post(url or reverse("reminders:profile"), form)


def test_it_saves_the_users_own_channels(world, login):
    client = login(world.operator)
    assert client.get(reverse("reminders:profile")).status_code == 200
    response = post_profile(
        client,
        phone="139 1234 5678",
        email="liu@example.com",
        by_sms="on",
        by_wecom="on",
        wecom_webhook="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM_HONGXING}",
    )
    assert response.status_code == 302
    world.operator.refresh_from_db()
    assert world.operator.phone == "13912345678" and world.operator.email == "liu@example.com"
    profile = ReminderProfile.objects.get(user=world.operator)
    assert profile.channels() == ["sms", "wecom"]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"phone": "12345"}, "phone", "电话号码格式不正确"),
        ({"phone": "0906-1234567", "by_sms": "on"}, "phone", "选择短信提醒需要填写11位手机号"),
        ({"email": "liu@"}, "email", "邮箱格式不正确"),
        ({"by_email": "on"}, "email", "选择邮件提醒需要填写邮箱"),
        (
            {"by_wecom": "on", "wecom_webhook": "http://qyapi.weixin.qq.com/send"},
            "wecom_webhook",
            "必须使用 https",
        ),
        (
            {"wecom_webhook": "https://qyapi.weixin.qq.com/send?key=693a91f6-7a1c"},
            "wecom_webhook",
            "请不要把机器人密钥写在这里",
        ),
        ({"wecom_webhook": "ftp://example.com/x"}, "wecom_webhook", "请填写完整的网址"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(
    world, login, data, field, message
):
    response = post_profile(login(world.operator), **data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ReminderProfile.objects.exists()
    world.operator.refresh_from_db()
    assert world.operator.phone == "" and world.operator.email == ""


def test_a_webhook_on_this_machine_may_be_plain_http(world, login):
    response = post_profile(
        login(world.operator), by_wecom="on", wecom_webhook="http://127.0.0.1:8080/robot"
    )
    assert response.status_code == 302


def test_the_station_sets_up_a_user_of_its_township_but_no_other(world, login):
    client = login(world.station)
    url = reverse("reminders:profile_for", args=[world.operator.pk])
    assert post_profile(client, url, phone="13912345678", by_sms="on").status_code == 302
    assert ReminderProfile.objects.get(user=world.operator).by_sms
    far = reverse("reminders:profile_for", args=[world.outsider.pk])
    assert client.get(far).status_code == 404
    # An operator may not set up anyone else.
    assert login(world.operator).get(url).status_code == 403


@pytest.mark.parametrize("persona", ["leader", "inspector", "county", "operator"])
def test_only_the_station_sees_the_reminders_page(world, login, persona):
    user = world.personas[persona]
    assert login(user).get(reverse("reminders:list")).status_code == 403
    assert login(user).get(reverse("reminders:export")).status_code == 403


def test_the_station_sees_what_was_sent_and_who_cannot_be_reached(
    world, login, channels, clock, django_assert_num_queries
):
    choose(world.operator, email="liu@example.com")
    choose(world.other_op, phone="0906-1234567")  # chose SMS with a landline
    call_command("remind", stdout=io.StringIO())
    client = login(world.station)
    with django_assert_num_queries(7):
        response = client.get(reverse("reminders:list"))
    clock.tick(days=1)
    choose(world.station, email="wang@example.com")
    call_command("remind", stdout=io.StringIO())
    client = login(world.station)  # a day later: the session of yesterday has expired
    with django_assert_num_queries(7):  # whatever the number of rows and users
        assert len(client.get(reverse("reminders:list")).context["page_obj"]) == 3
    body = response.content.decode()
    assert "liu@example.com" in body and "10月收看情况尚未反馈" in body
    unreachable = {u.user.username: u for u in response.context["unreachable"]}
    assert "operator" not in unreachable
    assert "没有填写手机号" in unreachable["other_op"].reasons[0]
    assert unreachable["leader"].reasons == ["未选择提醒方式"]
    assert response.context["unreachable"][0].reasons  # the page lists them with their reasons
    assert "未选择提醒方式" in body
    assert "outsider" not in unreachable  # another township's station is not this one's business
    # Another township's station sees none of it.
    assert not login(world.outsider).get(reverse("reminders:list")).context["page_obj"].object_list


def test_the_list_searches_pages_and_exports_what_it_shows(world, login, channels, clock):
    world.operator.full_name = '=HYPERLINK("http://x")'
    world.operator.save()
    choose(world.operator, email="liu@example.com")
    choose(world.station, email="wang@example.com")
    call_command("remind", stdout=io.StringIO())
    client = login(world.station)
    rows = client.get(reverse("reminders:list"), {"q": "HYPERLINK"}).context["page_obj"]
    assert [d.user for d in rows] == [world.operator]
    assert len(client.get(reverse("reminders:list"), {"channel": "sms"}).context["page_obj"]) == 0
    response = client.get(reverse("reminders:export"), {"q": "HYPERLINK"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2  # the header and the one row the list showed
    assert values[1][1] == '=HYPERLINK("http://x")'  # text, not a formula
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_the_home_page_shows_the_reminders_received(world, login, channels, clock):
    choose(world.operator, email="liu@example.com")
    call_command("remind", stdout=io.StringIO())
    body = login(world.operator).get(reverse("web:home")).content.decode()
    assert "最近收到的提醒" in body
    assert "2026-11-29" in body and "电子邮件" in body
    assert Digest.objects.get(user=world.operator).subject in body
