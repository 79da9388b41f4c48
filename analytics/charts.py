"""Weekly column charts drawn on the server as SVG geometry for templates/analytics/_chart.html
(the repo's way: numbers here, markup in the template, no script, no CDN)."""

import math

WIDTH, HEIGHT = 380, 160
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 34, 6, 10, 22


def _nice_top(peak: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above `peak` (at least 1)."""
    if peak <= 1:
        return 1
    power = 10 ** math.floor(math.log10(peak))
    for step in (1, 2, 5, 10):
        if peak <= step * power:
            return step * power
    return 10 * power


def column_chart(values: list[float | None], labels: list[str], *, unit: str = "") -> dict:
    """Geometry of one column per week: bars, three gridlines with labels, and every
    other week's label under its bar (all of them when there are 8 or fewer)."""
    peak = max((v for v in values if v is not None), default=0)
    top = _nice_top(peak)
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = inner_w / max(len(values), 1)
    bar_w = max(slot * 0.7, 2)
    bars = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        height = 0 if value is None else inner_h * value / top
        x = PAD_LEFT + i * slot + (slot - bar_w) / 2
        bars.append(
            {
                "x": round(x, 1),
                "y": round(PAD_TOP + inner_h - height, 1),
                "width": round(bar_w, 1),
                "height": round(height, 1),
                "label": label,
                "text": "no data" if value is None else f"{value:g}{unit}",
                "center": round(x + bar_w / 2, 1),
                "show_label": len(values) <= 8 or i % 2 == (len(values) - 1) % 2,
            }
        )
    ticks = []
    for fraction in (0, 0.5, 1):
        value = top * fraction
        ticks.append(
            {
                "y": round(PAD_TOP + inner_h - inner_h * fraction, 1),
                "label": f"{value:g}",
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": PAD_LEFT,
        "right": WIDTH - PAD_RIGHT,
        "label_y": HEIGHT - 6,
        "bars": bars,
        "ticks": ticks,
        "empty": peak == 0,
    }
