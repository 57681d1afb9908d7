"""Services run in the township's language (records are hashed), but a refusal reaches the reader
in the reader's language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.clock import clock, local  # noqa: F401  (the clock fixture)
from tests.teaching.conftest import Cast, record

pytestmark = pytest.mark.usefixtures("clock")


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Please choose at least one film"), ("zh-hans", "请至少选择一部影片")],
)
def test_a_refused_session_is_explained_in_the_readers_language(world, language, message):
    cast = Cast(world)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        record(cast, films=[], held_at=local(2026, 11, 29, 9))
    assert message in refused.value.message_dict["films"]


def test_a_record_is_written_in_the_townships_language_whatever_the_reader(world):
    cast = Cast(world)
    with translation.override("en"):
        session = record(cast, held_at=local(2026, 11, 29, 9))
    with translation.override("zh-hans"):
        chinese = record(cast, held_at=local(2026, 11, 29, 9, 30)).entry.title
    assert session.entry.title == chinese.replace("09:30", "09:00") and "月度收看" in chinese
