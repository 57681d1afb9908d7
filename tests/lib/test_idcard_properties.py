"""Properties of resident ID numbers (dianjiao.lib.idcard): every number made is valid and says
its birth date and sex; every single-digit slip and every swap of two neighbouring digits is
caught by the check character (ISO 7064 MOD 11-2)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dianjiao.lib import idcard

areas = st.text("0123456789", min_size=6, max_size=6)
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
seqs = st.integers(0, 999)
numbers = st.builds(idcard.make, areas, births, seqs)


@given(areas, births, seqs)
def test_a_made_number_is_valid_and_says_birth_and_sex(area, birth, seq):
    number = idcard.make(area, birth, seq)
    assert len(number) == 18 and number[:6] == area
    assert idcard.parse(number) == (birth, "M" if seq % 2 else "F")


@given(numbers)
def test_case_and_surrounding_space_do_not_matter(number):
    assert idcard.parse(f"  {number.lower()}\t") == idcard.parse(number)


@given(numbers, st.integers(0, 17), st.data())
def test_a_single_wrong_character_is_refused(number, position, data):
    wrong = data.draw(
        st.sampled_from([c for c in "0123456789X" if c != number[position]])
        if position == 17
        else st.sampled_from([c for c in "0123456789" if c != number[position]])
    )
    with pytest.raises(idcard.IdNumberError):
        idcard.parse(number[:position] + wrong + number[position + 1 :])


@given(numbers, st.integers(0, 15))
def test_two_neighbouring_digits_swapped_are_refused(number, i):
    if number[i] == number[i + 1]:
        return
    swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    with pytest.raises(idcard.IdNumberError):
        idcard.parse(swapped)


@given(st.text(max_size=25))
def test_anything_else_is_refused_with_a_reason_or_parsed(value):
    try:
        birth, sex = idcard.parse(value)
    except idcard.IdNumberError as exc:
        assert str(exc)
    else:
        assert sex in ("M", "F") and isinstance(birth, dt.date)
