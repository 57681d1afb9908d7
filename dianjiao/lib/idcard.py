"""Resident identity numbers (公民身份号码, GB 11643-1999).

18 characters: 6-digit area code, 8-digit birth date, 3-digit sequence (odd for men, even for
women), and a check character computed with ISO 7064 MOD 11-2 over the first 17 digits.
"""

import datetime as dt
import re

from django.utils.translation import gettext as _

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def check_char(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise(value: str) -> str:
    return (value or "").strip().upper()


class IdNumberError(ValueError):
    pass


def parse(value: str) -> tuple[dt.date, str]:
    """Return (birth date, "M"/"F") of a valid number; raise IdNumberError saying what is wrong."""
    value = normalise(value)
    if not _SHAPE.match(value):
        raise IdNumberError(_("身份证号应为18位：17位数字加1位数字或X"))
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdNumberError(_("身份证号中的出生日期不存在")) from None
    if value[17] != check_char(value[:17]):
        raise IdNumberError(_("身份证号校验位不正确，请核对"))
    return birth, ("M" if int(value[16]) % 2 else "F")


def make(area: str, birth: dt.date, seq: int) -> str:
    """Build a valid number (demo data and tests)."""
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)
