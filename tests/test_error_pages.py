"""403, 404 and 500 look like the rest of the site, speak the user's language, say what happened
and offer the way back."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_a_missing_page_says_so_in_chinese_with_the_way_home(world, login):
    response = login(world.operator).get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "不在您的查看范围内" in page
    assert 'class="topbar"' in page and reverse("web:home") in page
    assert "Not Found" not in page


def test_an_outsiders_404_reads_like_any_missing_page(world, login):
    client = login(world.operator)
    foreign = client.get(reverse("members:detail", args=[world.far_member.pk]))
    missing = client.get(reverse("members:detail", args=[10**9]))
    assert foreign.status_code == missing.status_code == 404
    assert "页面不存在" in foreign.content.decode()
    assert world.far_member.name not in foreign.content.decode()


def test_a_missing_page_in_english(world, login, client):
    client.cookies["django_language"] = "en"
    response = login(world.operator).get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and "Back to the home page" in page
    assert "页面不存在" not in page


def test_a_refusal_says_why_and_offers_the_way_back(world, login):
    response = login(world.county_viewer).post(reverse("reports:create"), {})
    page = response.content.decode()
    assert response.status_code == 403
    assert "没有权限进行此操作" in page and "只读角色不能修改数据" in page
    assert 'class="topbar"' in page and "回到首页" in page


def test_a_refusal_in_english(world, login, client):
    client.cookies["django_language"] = "en"
    response = login(world.county_viewer).post(reverse("reports:create"), {})
    page = response.content.decode()
    assert response.status_code == 403
    assert "You may not do this" in page and "没有权限" not in page


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [("zh-hans", "系统出错了", "Server Error"), ("en", "Something went wrong", "系统出错")],
)
def test_a_server_error_is_a_page_of_the_site(world, login, client, language, said, not_said):
    client.raise_request_exception = False
    client.cookies["django_language"] = language
    response = login(world.operator).get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert said in page and not_said not in page
    assert "site.css" in page and 'href="/"' in page


def test_no_english_placeholder_in_a_chinese_select(world, login, client):
    page = login(world.station).get(reverse("films:loan_dispatch")).content.decode()
    assert "Select an option" not in page
    assert ">请选择<" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("films:loan_dispatch")).content.decode()
    assert ">Choose…<" in page and "请选择" not in page
