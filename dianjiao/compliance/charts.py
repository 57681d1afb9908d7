"""Horizontal bar charts as inline SVG geometry (presentation attributes only, no style=).

A chart is drawn in CSS pixels, without a viewBox, and is as wide as its card (width="100%"):
its text is never scaled, so labels and values keep FONT_PX on a 390-px phone as on a PC.
Only the bars stretch: their lengths are percentages of the chart's width. Each row has its
label on the left (or above the bar when the labels are long) and its value beside the bar's end,
so names are never cut short and no two labels can overlap.
"""

import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext as _

FONT_PX = 14
ROW_PX = 30  # label on the left: one line per row
STACKED_ROW_PX = 48  # label above the bar
BAR_PX = 18
GAP_PX = 8
TOP_PX = 24  # a band above the rows for the "100%" caption of the full-bar line
# The narrowest chart to plan for: a 320-px phone's card. Labels wider than this leave too
# little room for the bars and go above them instead.
NARROWEST_PX = 290
LEFT_LABEL_MAX_PX = 110
# Room after a full bar for its value ("100%"), as a share of the chart's width.
VALUE_ROOM_PX = 48


def text_px(text: str, font_px: int = FONT_PX) -> int:
    """About how wide `text` is drawn: a CJK character is one em, other characters about 0.6 em."""
    return round(
        sum(
            font_px if unicodedata.east_asian_width(ch) in "WF" else 0.6 * font_px
            for ch in str(text)
        )
    )


def _fmt(pct: float | None) -> str:
    return "—" if pct is None else f"{pct:.0f}%"


def hbars(items: Iterable[tuple[str, float | None, str]]) -> dict:
    """[(label, percent or None, tooltip)] -> the geometry of a horizontal bar chart.

    Rows are `row` px apart; `x0` px is where the bars start; a bar of 100 % is `span` percent of
    the chart's width, so that its value still fits to its right on the narrowest phone."""
    items = list(items)
    widest = max((text_px(label) for label, _pct, _tip in items), default=0)
    stacked = widest > LEFT_LABEL_MAX_PX
    x0 = 0 if stacked else widest + GAP_PX
    row = STACKED_ROW_PX if stacked else ROW_PX
    # Whole percents of the chart's width, so a bar stays clear of its value on a 290-px chart.
    span = int(100 * (NARROWEST_PX - x0 - VALUE_ROOM_PX) / NARROWEST_PX)
    out = []
    for i, (label, pct, tip) in enumerate(items):
        top = TOP_PX + i * row
        bar_y = top + (FONT_PX + 8 if stacked else (row - BAR_PX) // 2)
        length = 0.0 if pct is None else max(0.0, min(100.0, pct)) * span / 100
        out.append(
            {
                "label": label,
                "pct": pct,
                "value": _fmt(pct),
                "tip": tip,
                "label_y": top + FONT_PX if stacked else bar_y + BAR_PX // 2 + FONT_PX // 2 - 2,
                "bar_y": bar_y,
                "length": round(length, 2),
                "value_y": bar_y + BAR_PX // 2 + FONT_PX // 2 - 2,
            }
        )
    return {
        "bars": out,
        "stacked": stacked,
        "x0": x0,
        "span": span,
        "bar_h": BAR_PX,
        "font": FONT_PX,
        "caption_y": FONT_PX + 2,
        "height": TOP_PX + 4 + len(out) * row,
    }


def coverage_by_month(c) -> dict:
    """The township's (or county's) coverage month by month: members present at least once of
    the members expected."""
    items = []
    for m, pct, expected, present in c.monthly_coverage():
        label = _("%(m)s月") % {"m": m}
        tip = f"{label} {_fmt(pct)}" + (f" ({present}/{expected})" if expected else "")
        items.append((label, pct, tip))
    return hbars(items)


def held_by_village(rows) -> dict:
    """Each village's months with a viewing of the months ended, under its whole name (`rows`:
    compliance's VillageRows, e.g. a page of them)."""
    items = []
    for r in rows:
        pct = 100 * r.months_held / r.months_ended if r.months_ended else None
        tip = f"{r.village.name} {_fmt(pct)} ({r.months_held}/{r.months_ended})"
        items.append((r.village.name, pct, tip))
    return hbars(items)


def held_by_township(townships) -> dict:
    """Each township's village-months with a viewing of the village-months ended (the county's
    view: one bar a township, not one a village)."""
    items = []
    for t in townships:
        tip = f"{t.township.name} {_fmt(t.held_pct)} ({t.months_held}/{t.months_ended})"
        items.append((t.township.name, t.held_pct, tip))
    return hbars(items)
