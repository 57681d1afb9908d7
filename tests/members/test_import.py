"""Importing a 党员花名册 (.xlsx): preview every row, save all or nothing, never duplicate."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dianjiao.audit.models import AuditEvent
from dianjiao.lib.dates import today
from dianjiao.members import services
from dianjiao.members.models import Member, RosterImport, RosterImportRow
from tests import factories
from tests.members.sheets import HEADERS, person, upload_file, xlsx

IMPORT = reverse("members:import")


def preview_url(batch):
    return reverse("members:import_preview", args=[batch.pk])


def upload(client, content, name="党员花名册.xlsx"):
    return client.post(IMPORT, {"file": upload_file(content, name)})


def uploaded(client, rows, **kw):
    """Upload rows (or a file's bytes); return the batch the preview page is about."""
    response = upload(client, rows if isinstance(rows, bytes) else xlsx(rows, **kw))
    assert response.status_code == 302, response.content.decode()
    return RosterImport.objects.latest("pk")


def confirm(client, batch):
    return client.post(preview_url(batch), {"action": "apply"}, follow=True)


def bad_id(**kw):
    row = person(**kw)
    ident = row["身份证号"]
    row["身份证号"] = ident[:17] + ("0" if ident[17] != "0" else "1")
    return row


def test_it_imports_a_roster_and_finds_members_by_pinyin(world, login):
    client = login(world.station)
    batch = uploaded(
        client,
        [
            person("张顺"),
            person(
                "马丽",
                male=False,
                所在党支部="阿克达拉村",
                收看播放点="夏牧场流动播放点",
                流动情况="牧业转场",
            ),
        ],
    )
    page = client.get(preview_url(batch))
    assert page.status_code == 200
    assert [r.action_label for r in page.context["preview"].rows] == ["新增", "新增"]
    assert "确认导入（新增 2 人，更新 0 人）" in page.content.decode()
    assert Member.objects.count() == 3  # nothing saved by the preview

    response = confirm(client, batch)

    assert "导入完成：新增 2 人，更新 0 人，0 人无变化" in response.content.decode()
    assert "张顺" in [m.name for m in Member.objects.search("zs")]
    mali = Member.objects.get(name="马丽")
    assert (mali.village, mali.point, mali.gender, mali.mobility) == (
        world.pastoral,
        world.pastoral_point,
        "F",
        Member.Mobility.PASTORAL,
    )
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.APPLIED
    assert batch.result["created"] == 2
    assert batch.sheet is None  # the upload's ID numbers do not linger
    # The import is one audited event, by the user who confirmed, listing each member it saved
    # (issue 14 part 4: no longer an event per member).
    (event,) = AuditEvent.objects.filter(model="members.rosterimport", action="import")
    assert (event.actor, event.object_pk) == (world.station, str(batch.pk))
    listed = {values[0]: action for _row, action, values, *_before in event.data["rows"]}
    assert listed == {mali.pk: "create", Member.objects.get(name="张顺").pk: "create"}
    assert [(r.batch, r.action) for r in RosterImportRow.objects.filter(member=mali)] == [
        (batch, "create")
    ]


def test_it_lists_every_bad_row_with_its_reason_and_saves_nothing(world, login):
    client = login(world.station)
    twin = person("双胞一")
    batch = uploaded(
        client,
        [
            person("好人"),  # row 2
            bad_id(name="错号"),  # row 3
            person("未来", 入党时间=today() + dt.timedelta(days=30)),  # row 4
            twin,  # row 5
            dict(twin, 姓名="双胞二"),  # row 6
            person("串点", 收看播放点="夏牧场流动播放点"),  # row 7
            person("外乡", 所在党支部="喀拉吉拉村"),  # row 8
        ],
    )

    response = client.get(preview_url(batch))

    preview = response.context["preview"]
    errors = {r.number: r.errors for r in preview.bad_rows}
    assert errors == {
        3: [("身份证号", "身份证号校验位不正确，请核对")],
        4: [("入党时间", "日期不能晚于今天")],
        5: [("身份证号", "身份证号与第6行重复")],
        6: [("身份证号", "身份证号与第5行重复")],
        7: [("收看播放点", "播放点“夏牧场流动播放点”不属于红星村，只能选择本村的播放点")],
        8: [("所在党支部", "找不到党支部“喀拉吉拉村”，或它不在您可管理的范围内")],
    }
    page = response.content.decode()
    assert "第3行" in page and "身份证号校验位不正确" in page and "第8行" in page
    assert "确认导入" not in page
    assert not Member.objects.filter(
        name__in=["好人", "错号", "未来", "双胞一", "双胞二", "串点", "外乡"]
    ).exists()


def test_it_asks_for_the_cells_a_new_member_needs(world):
    row = person("缺项", 身份证号=None, 入党时间=None)

    preview = services.roster_import_preview(
        user=world.station, file=xlsx([row, {"姓名": "", "性别": "男"}])
    )

    assert [r.errors for r in preview.rows] == [
        [("身份证号", "请填写身份证号"), ("入党时间", "请填写入党时间")],
        [
            ("姓名", "请填写姓名"),
            ("身份证号", "请填写身份证号"),
            ("所在党支部", "请填写所在党支部"),
            ("入党时间", "请填写入党时间"),
        ],
    ]


def test_it_refuses_to_confirm_while_errors_exist(world, login):
    client = login(world.station)
    batch = uploaded(client, [person("好人"), bad_id(name="错号")])

    response = confirm(client, batch)

    assert "花名册中还有错误，未保存任何数据" in response.content.decode()
    assert not Member.objects.filter(name="好人").exists()
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.PENDING


def test_it_refuses_a_roster_missing_a_required_column(world, login):
    headers = [h for h in HEADERS if h != "身份证号"]

    response = upload(login(world.station), xlsx([person()], headers))

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["缺少必需的列：身份证号（表头在第1行）"]
    assert "缺少必需的列：身份证号" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_it_refuses_a_roster_without_rows(world, login):
    response = upload(login(world.station), xlsx([]))

    assert response.context["form"].errors["file"] == ["花名册中没有党员数据：表头下面是空的"]
    assert not RosterImport.objects.exists()


def test_it_refuses_an_oversized_upload_before_reading_it(world, login, settings):
    settings.DIANJIAO_MAX_UPLOAD_BYTES = 1024 * 1024

    response = upload(login(world.station), b"PK" + b"\0" * (1024 * 1024))

    assert response.context["form"].errors["file"][0].startswith("文件超过 1 MB 上限")
    assert not RosterImport.objects.exists()
    assert Member.objects.count() == 3


@pytest.mark.parametrize(
    "content, name",
    [
        ("姓名,身份证号\n张顺,654323198005060099\n".encode("gbk"), "花名册.xlsx"),
        (bytes(range(256)) * 40, "花名册.xlsx"),
        (b"PK\x03\x04 not really a zip", "花名册.xlsx"),
    ],
)
def test_it_refuses_a_file_that_is_not_an_xlsx(world, login, content, name):
    response = upload(login(world.station), content, name)

    assert response.context["form"].errors["file"] == [
        "无法读取该文件，请上传 Excel（.xlsx）格式的党员花名册"
    ]
    assert not RosterImport.objects.exists()


def test_it_creates_no_duplicates_when_the_same_file_is_imported_twice(world, login):
    client = login(world.station)
    # The very same file: built once, since a workbook records the second it was written.
    same_file = xlsx([person("张顺"), person("马丽", male=False)])
    confirm(client, uploaded(client, same_file))
    count = Member.objects.count()

    again = uploaded(client, same_file)
    page = client.get(preview_url(again))
    response = confirm(client, again)

    assert [r.action_label for r in page.context["preview"].rows] == ["无变化", "无变化"]
    assert "同一文件已于" in page.content.decode()
    assert "导入完成：新增 0 人，更新 0 人，2 人无变化" in response.content.decode()
    assert Member.objects.count() == count
    again.refresh_from_db()
    assert again.result | {"applied_at": None} == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "applied_at": None,
    }


def test_it_updates_a_member_matched_by_id_number(world, login):
    client = login(world.station)
    zhang = world.member
    row = person(
        "张三",
        birth=zhang.birth_date,
        身份证号=zhang.id_number,
        联系电话="13912345678",
        入党时间=zhang.joined_on,
        党员类别="预备党员",
    )

    phone_before = zhang.phone
    batch = uploaded(client, [row])
    page = client.get(preview_url(batch))
    confirm(client, batch)

    [preview_row] = page.context["preview"].rows
    assert (preview_row.action_label, preview_row.changes) == ("更新", ["联系电话", "党员类别"])
    zhang.refresh_from_db()
    assert (zhang.phone, zhang.category) == ("13912345678", Member.Category.PROBATIONARY)
    assert Member.objects.filter(id_number=zhang.id_number).count() == 1
    # The update is listed in the import's one audited event, with the values it replaced.
    (event,) = AuditEvent.objects.filter(model="members.rosterimport", action="import")
    [(_row, action, values, before)] = event.data["rows"]
    assert (action, values[0], before) == (
        "update",
        zhang.pk,
        {"phone": phone_before, "category": "full"},
    )


def test_it_keeps_what_a_blank_cell_leaves_out(world, login):
    zhang = world.member
    row = {
        "姓名": "张三",
        "身份证号": zhang.id_number,
        "所在党支部": "红星村党支部",
        "入党时间": zhang.joined_on,
    }

    preview = services.roster_import_preview(user=world.operator, file=xlsx([row]))

    assert preview.ok
    assert preview.rows[0].action_label == "无变化"
    assert preview.rows[0].point == "村委会电教室"


@pytest.mark.parametrize(
    "persona, registered, message",
    [
        ("operator", "pastoral_member", "该身份证号不能使用，请与乡电教站核实"),
        ("station", "far_member", "该身份证号不能使用"),
    ],
)
def test_it_refuses_an_id_number_registered_where_the_user_cannot_see(
    world, login, persona, registered, message
):
    other = getattr(world, registered)
    client = login(getattr(world, persona))
    row = person("冒名", birth=other.birth_date, 身份证号=other.id_number)

    page = client.get(preview_url(uploaded(client, [row])))

    assert page.context["preview"].rows[0].errors == [("身份证号", message)]
    text = page.content.decode()
    assert other.name not in text and other.village.name not in text


def test_it_accepts_header_aliases_a_title_row_and_dates_written_as_text(world, login):
    client = login(world.station)
    headers = [
        "序号",
        "姓名",
        "公民身份号码",
        "出生日期",
        "手机号",
        "党支部",
        "人员类别",
        "入党时间",
        "播放点",
        "备注",
    ]
    ident = factories.id_number(dt.date(1975, 3, 8), male=False)
    rows = [
        {
            "姓名": "周舒",
            "公民身份号码": ident,
            "出生日期": "1975/3/8",
            "手机号": 13812345678,
            "党支部": "红星村党支部",
            "人员类别": "预备",
            "入党时间": "2005年7月1日",
            "播放点": "村委会电教室",
        },
        {
            "姓名": "吴敏",
            "公民身份号码": factories.id_number(dt.date(1990, 1, 2)),
            "出生日期": "1990.01.02",
            "党支部": "阿克达拉村",
            "入党时间": "2015-07-01",
        },
    ]

    batch = uploaded(client, rows, headers=headers, title_rows=["乌伦古乡党员花名册"])
    page = client.get(preview_url(batch))
    confirm(client, batch)

    assert page.context["preview"].ignored_columns == ["备注"]
    zhou = Member.objects.get(name="周舒")
    assert (
        zhou.id_number,
        zhou.birth_date,
        zhou.gender,
        zhou.phone,
        zhou.category,
        zhou.joined_on,
        zhou.point,
    ) == (
        ident,
        dt.date(1975, 3, 8),
        "F",
        "13812345678",
        Member.Category.PROBATIONARY,
        dt.date(2005, 7, 1),
        world.point,
    )
    wu = Member.objects.get(name="吴敏")
    assert (wu.village, wu.point, wu.gender, wu.joined_on) == (
        world.pastoral,
        world.pastoral_point,  # no 播放点 cell: the village's only point (issue 10 part 4)
        "M",
        dt.date(2015, 7, 1),
    )


def test_it_refuses_an_id_number_that_excel_stored_as_a_number(world):
    row = person("数字号")
    while row["身份证号"].endswith("X"):  # a number Excel could hold has no X
        row = person("数字号")
    row["身份证号"] = float(row["身份证号"])

    preview = services.roster_import_preview(user=world.station, file=xlsx([row]))

    column, message = preview.rows[0].errors[0]
    assert column == "身份证号" and "存成了数字" in message


def test_it_leaves_leaving_the_roster_to_the_member_page(world):
    preview = services.roster_import_preview(
        user=world.station, file=xlsx([person("离人", 状态="已离册")])
    )

    assert preview.rows[0].errors == [
        ("状态", "导入只用于登记在册党员；办理离册请到该党员的页面，填写离册日期和原因")
    ]


def test_it_does_not_bring_a_left_member_back_by_import(world):
    gone = factories.member(
        world.village, "赵离", active=False, left_on=dt.date(2024, 1, 1), left_reason="迁出"
    )
    row = person("赵离", birth=gone.birth_date, 身份证号=gone.id_number, 入党时间=gone.joined_on)

    preview = services.roster_import_preview(user=world.station, file=xlsx([row]))

    assert preview.rows[0].errors == [("状态", "该党员已于2024年01月01日离册，导入不能恢复在册")]


@pytest.mark.parametrize("persona", ["leader", "inspector", "county"])
def test_it_gives_a_read_only_role_403_on_import(world, login, persona):
    client = login(world.personas[persona])

    assert client.get(IMPORT).status_code == 403
    assert upload(client, xlsx([person()])).status_code == 403
    assert not RosterImport.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "operator"])
def test_it_gives_an_outsider_404_on_someone_elses_batch(world, login, persona):
    batch = uploaded(login(world.station), [person()])
    client = login(world.personas[persona])

    assert client.get(preview_url(batch)).status_code == 404
    assert client.post(preview_url(batch), {"action": "apply"}).status_code == 404
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.PENDING
    assert not Member.objects.filter(name="张顺").exists()


def test_it_applies_a_batch_only_once(world, login):
    client = login(world.station)
    batch = uploaded(client, [person()])
    confirm(client, batch)
    events = AuditEvent.objects.count()

    response = confirm(client, batch)

    assert "该批次已经导入，不能重复导入" in response.content.decode()
    assert Member.objects.filter(name="张顺").count() == 1
    assert AuditEvent.objects.count() == events
    with pytest.raises(services.RosterImportError):
        services.roster_import_apply(user=world.station, batch=batch)


def test_it_validates_again_when_confirming(world, login):
    client = login(world.station)
    row = person("张顺")
    batch = uploaded(client, [row])
    assert client.get(preview_url(batch)).context["preview"].ok
    # Meanwhile the other township registers the same person.
    factories.member(world.far_village, "张顺", birth=row["出生日期"], id_number=row["身份证号"])

    response = confirm(client, batch)

    assert "该身份证号不能使用" in response.content.decode()
    assert Member.objects.filter(id_number=row["身份证号"]).count() == 1
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.PENDING


def test_it_lets_the_uploader_discard_a_batch(world, login):
    client = login(world.station)
    batch = uploaded(client, [person()])

    client.post(preview_url(batch), {"action": "discard"})

    batch.refresh_from_db()
    assert (batch.status, batch.sheet) == (RosterImport.Status.REJECTED, None)
    assert confirm(client, batch).status_code == 200
    assert not Member.objects.filter(name="张顺").exists()


def test_it_validates_a_long_roster_with_a_fixed_number_of_queries(world):
    def queries(n):
        content = xlsx([person(f"成员{i}") for i in range(n)])
        with CaptureQueriesContext(connection) as ctx:
            preview = services.roster_import_preview(user=world.station, file=content)
        assert preview.ok
        return len(ctx)

    assert queries(2) == queries(40)
