"""GET /api/v1/bootstrap: what the phone keeps to work offline, within the caller's scope."""

from tests.api.conftest import Phone


def test_an_operator_gets_their_village_its_points_members_and_the_films(world, cast, clock):
    body = Phone("operator").get("/api/v1/bootstrap").json()
    assert body["user"]["username"] == "operator"
    assert [(v["name"], v["writable"]) for v in body["villages"]] == [("红星村", True)]
    assert {p["id"] for p in body["points"]} == {world.point.pk}
    members = {m["name"]: m for m in body["members"]}
    assert set(members) == {"张三", "李梅", "王五", "赵六"}
    assert members["李梅"]["initials"] == "lm" or members["李梅"]["initials"].lower() == "lm"
    assert members["李梅"]["point"] == world.point.pk
    films = {f["title"]: f["key_film"] for f in body["films"]}
    assert films == {"榜样8": True, "农村实用技术：冬季舍饲养羊": False}


def test_a_read_only_role_sees_its_scope_and_may_write_nothing(world, cast, clock):
    body = Phone("inspector").get("/api/v1/bootstrap").json()
    assert {v["name"] for v in body["villages"]} == {"红星村", "阿克达拉村"}
    assert not any(v["writable"] for v in body["villages"])
    assert "李四" not in {m["name"] for m in body["members"]}
