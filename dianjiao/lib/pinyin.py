"""Pinyin keys for searching Chinese names: `zhangsan` and `zs` both find 张三."""

from pypinyin import Style, lazy_pinyin


def keys(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials), lower case, without separators."""
    name = (name or "").replace("·", "").replace(" ", "")
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="default")
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s).lower()
    return full, initials
