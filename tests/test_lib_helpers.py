"""The generic helpers in dianjiao.lib that several apps share: one each, behaving as the copies
they replaced did."""

import datetime as dt

from django.utils import timezone, translation

from dianjiao.films.models import FilmCopy
from dianjiao.infoitems.models import InfoItem
from dianjiao.lib.dates import cn_date
from dianjiao.lib.i18n import record_labels
from dianjiao.lib.sizes import size_label
from dianjiao.lib.xlsx import XLSX, xlsx_response


def test_size_label_picks_the_largest_unit_of_at_least_one():
    assert size_label(500) == "1 KB"
    assert size_label(12 * 1024) == "12 KB"
    assert size_label(10 * 1024**2) == "10 MB"
    assert size_label(int(1.5 * 1024**2)) == "1.5 MB"
    assert size_label(2 * 1024**3) == "2 GB"
    assert size_label(int(2.25 * 1024**3)) == "2.2 GB"


def test_cn_date_reads_a_date_or_a_datetime_in_the_configured_zone():
    assert cn_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    # 20:30 UTC on 4 March is already 5 March in the configured zone (east of UTC).
    late = dt.datetime(2026, 3, 4, 20, 30, tzinfo=dt.UTC)
    assert timezone.localdate(late) == dt.date(2026, 3, 5)
    assert cn_date(late) == "2026年3月5日"
    with translation.override("en"):
        assert cn_date(dt.date(2026, 3, 5)) == "5 Mar 2026"


def test_record_labels_are_the_source_words_whatever_the_reader_reads():
    with translation.override("en"):
        assert dict(InfoItem.Status.choices)["published"] != "已发布"
        assert record_labels(InfoItem.Status.choices) == {
            "sent": "待审核",
            "adopted": "已采用",
            "returned": "已退回",
            "published": "已发布",
        }
        assert record_labels(FilmCopy.Medium.choices)["usb"] == "U盘"


def test_xlsx_response_names_the_file_for_old_and_new_browsers():
    response = xlsx_response(b"PK", filename="片库目录.xlsx", ascii_name="catalogue.xlsx")
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        "attachment; filename=\"catalogue.xlsx\"; filename*=UTF-8''"
        "%E7%89%87%E5%BA%93%E7%9B%AE%E5%BD%95.xlsx"
    )
    assert response.content == b"PK"
