"""People's names as rosters write them, made one form: Chinese names carry no spaces, and the
parts of a transliterated Kazakh (or Uyghur, Mongolian) name are joined by the middle dot."""

import re

MIDDLE_DOT = "·"
# What rosters type for the middle dot: the bullet, the katakana dot, the full-width and ASCII
# full stops, the hyphenation point.
_SEPARATORS = re.compile(r"\s*[·•・．.‧]\s*")
_CJK = re.compile(r"[\u3400-\u9fff]")


def normalise(name: str) -> str:
    """张 三 / 张　三 → 张三; 阿合买提 • 努尔兰 → 阿合买提·努尔兰. Names without Chinese
    characters keep their single spaces."""
    name = (name or "").replace("\u3000", " ").strip()
    if not _CJK.search(name):
        return re.sub(r"\s+", " ", name)
    name = _SEPARATORS.sub(MIDDLE_DOT, name)
    return re.sub(r"\s+", "", name).strip(MIDDLE_DOT)
