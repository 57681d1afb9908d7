"""Bar charts as inline SVG geometry (presentation attributes only, no style=)."""

CHART_H = 120  # px of a 100 % bar
BAR_W = 32


def bars(values):
    """[(label, pct)] -> bar geometry for an inline SVG (presentation attributes only)."""
    out = []
    for i, (label, pct) in enumerate(values):
        h = round((pct or 0) * CHART_H / 100)
        out.append(
            {
                "label": label,
                "pct": pct,
                "x": 8 + i * (BAR_W + 8),
                "y": 10 + CHART_H - h,
                "h": h,
                "tx": 8 + i * (BAR_W + 8) + BAR_W // 2,
                "ty": 10 + CHART_H + 16,
                "vy": 6 + CHART_H - h,
            }
        )
    return {
        "bars": out,
        "width": 16 + len(out) * (BAR_W + 8),
        "height": CHART_H + 34,
        "bw": BAR_W,
        "base": 10 + CHART_H,
    }
