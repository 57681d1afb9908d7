"""File sizes as people read them in a message: 500 MB, 1.5 GB, 12 KB."""


def size_label(n: int) -> str:
    """`n` bytes in the largest unit that is at least one (GB, MB), else KB (at least 1 KB)."""
    for unit, size in (("GB", 1024**3), ("MB", 1024**2)):
        if n >= size:
            value = n / size
            return f"{value:g} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{max(1, round(n / 1024))} KB"
