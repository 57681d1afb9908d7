"""The year's assessment as an official .docx (issue 12 part 5), by the one writer of official
documents, read back with python-docx."""

import datetime as dt
import io

from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from dianjiao.lib import official_docx
from dianjiao.oversight import services
from tests.oversight.helpers import inspect, template


def _published(world):
    tpl = template(world)
    inspect(world, tpl, "meets", "partly", "fails")  # 红星村: 45/100
    inspect(
        world,
        tpl,
        "meets",
        "meets",
        "meets",
        village=world.pastoral,
        point=world.pastoral_point,
        i2={"override_reason": "流动放映"},
    )  # 阿克达拉村: 100/100
    a = services.assessment_compute(
        user=world.station,
        township=world.township,
        year=2026,
        weights={"inspections": 100},
        candidates=1,
        at=dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC),
    )
    return services.assessment_publish(user=world.leader, assessment=a)


def _read(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    return Document(io.BytesIO(response.content))


def test_the_assessment_docx_reads_back_in_the_official_layout(world, login):
    a = _published(world)
    doc = _read(login(world.leader).get(reverse("oversight:assessment_docx", args=[a.pk])))
    texts = [p.text for p in doc.paragraphs]
    unit = world.township.station_name or "乌伦古乡党员电化教育工作站"
    assert texts[0] == unit
    assert doc.paragraphs[0].runs[0].font.color.rgb == official_docx.RED
    assert "乌伦古乡2026年度党支部党员电教工作考核结果" in texts
    ranking = doc.tables[0]
    assert [c.text for c in ranking.rows[0].cells] == ["名次", "党支部", "得分", "先进候选"]
    body = [[c.text for c in row.cells] for row in ranking.rows[1:]]
    assert [r[0] for r in body] == ["1", "2"]
    assert [r[1] for r in body] == ["阿克达拉村党支部", "红星村党支部"]  # best first
    assert body[0][2] == "100.0" and body[0][3] == "是" and body[1][3] == ""
    # issuing unit and the publication date, right-aligned at the end
    assert texts[-2:] == [unit, "2026年11月29日"]
    assert doc.paragraphs[-1].alignment == official_docx.RIGHT
    for p in doc.paragraphs:
        for run in p.runs:
            fonts = run._element.rPr.find(qn("w:rFonts"))
            assert fonts is not None and fonts.get(qn("w:eastAsia")), p.text
    for row in ranking.rows:
        for cell in row.cells:
            run = cell.paragraphs[0].runs[0]
            assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == official_docx.TABLE_FONT
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "FangSong"


def test_an_amended_score_shows_beside_its_original(world, login):
    a = _published(world)
    score = a.scores.get(village=world.village)
    services.assessment_amend(user=world.station, score=score, new_score="60", reason="复核")
    doc = _read(login(world.station).get(reverse("oversight:assessment_docx", args=[a.pk])))
    rows = {r.cells[1].text: r.cells[2].text for r in doc.tables[0].rows[1:]}
    assert rows["红星村党支部"] == "60.0（原35.0，已更正）"


def test_a_draft_says_so_and_a_village_sees_only_its_own_row(world, login):
    tpl = template(world)
    inspect(world, tpl, "meets", "partly", "fails")
    draft = services.assessment_compute(user=world.station, township=world.township, year=2026)
    doc = _read(login(world.station).get(reverse("oversight:assessment_docx", args=[draft.pk])))
    assert any(p.text.endswith("（草稿）") for p in doc.paragraphs)
    # a village reads only published assessments, and only its own row
    url = reverse("oversight:assessment_docx", args=[draft.pk])
    assert login(world.operator).get(url).status_code == 404
    published = services.assessment_publish(user=world.leader, assessment=draft)
    doc = _read(
        login(world.operator).get(reverse("oversight:assessment_docx", args=[published.pk]))
    )
    assert [r.cells[1].text for r in doc.tables[0].rows[1:]] == ["红星村党支部"]
    assert login(world.outsider).get(url).status_code == 404
