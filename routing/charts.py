"""Server-rendered charts: geometry computed here, drawn as inline SVG by the templates.

No JavaScript and nothing from a CDN (the CSP allows neither); a chart is a picture of the
table printed beside it, so it reads without scripts and prints.
"""

# Status colours, in the order the stacks are drawn.
STATUS_COLOURS = {
    "new": "#94a3b8",
    "triaged": "#f59e0b",
    "rerouted": "#a855f7",
    "assigned": "#3b82f6",
    "escalated": "#ef4444",
    "answered": "#10b981",
}
BAR_HEIGHT = 22
GAP = 10
LABEL_WIDTH = 150
PLOT_WIDTH = 560


def stacked_bars(rows: dict[str, dict[str, int]], status_enum) -> dict:
    """Horizontal bars, one per department, stacked by status."""
    peak = max((sum(counts.values()) for counts in rows.values()), default=0) or 1
    bars = []
    for index, (label, counts) in enumerate(rows.items()):
        x = LABEL_WIDTH
        segments = []
        for status, colour in STATUS_COLOURS.items():
            n = counts.get(status, 0)
            if not n:
                continue
            width = max(2.0, PLOT_WIDTH * n / peak)
            segments.append(
                {
                    "x": round(x, 1),
                    "width": round(width, 1),
                    "colour": colour,
                    "n": n,
                    "status": status_enum(status).label,
                }
            )
            x += width
        y = index * (BAR_HEIGHT + GAP)
        bars.append(
            {
                "label": label,
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "segments": segments,
                "total": sum(counts.values()),
                "total_x": round(x + 6, 1),
            }
        )
    return {
        "bars": bars,
        "height": max(1, len(bars)) * (BAR_HEIGHT + GAP),
        "width": LABEL_WIDTH + PLOT_WIDTH + 40,
        "bar_height": BAR_HEIGHT,
        "legend": [
            {"status": status_enum(s).label, "colour": c} for s, c in STATUS_COLOURS.items()
        ],
        "label_x": LABEL_WIDTH - 8,
    }


LINE_WIDTH = 640
LINE_HEIGHT = 180
PAD = 44


def line(points: list[dict]) -> dict:
    """Three series over router versions (0..1 each): accuracy from training, live, and on
    the most recent labels held out of its training (champion and challenger)."""
    n = len(points)
    step = (LINE_WIDTH - 2 * PAD) / max(1, n - 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        x = PAD + (i * step if n > 1 else (LINE_WIDTH - 2 * PAD) / 2)
        y = LINE_HEIGHT - PAD - value * (LINE_HEIGHT - 2 * PAD)
        return round(x, 1), round(y, 1)

    series = []
    for key, colour, name in (
        ("trained", "#3b82f6", "Cross-validated"),
        ("live", "#10b981", "Live"),
        ("recent", "#b45309", "Recent labels it did not train on"),
    ):
        dots = [
            {"x": xy(i, p[key])[0], "y": xy(i, p[key])[1], "pct": round(p[key] * 100, 1)}
            for i, p in enumerate(points)
            if p[key] is not None
        ]
        series.append(
            {
                "name": name,
                "colour": colour,
                "dots": dots,
                "path": " ".join(f"{d['x']},{d['y']}" for d in dots),
            }
        )
    ticks = [{"y": xy(0, v)[1], "label": f"{int(v * 100)}%"} for v in (0, 0.5, 1)]
    labels = [{"x": xy(i, 0)[0], "label": p["label"]} for i, p in enumerate(points)]
    return {
        "width": LINE_WIDTH,
        "height": LINE_HEIGHT,
        "pad": PAD,
        "right": LINE_WIDTH - PAD,
        "series": series,
        "ticks": ticks,
        "labels": labels,
        "label_y": LINE_HEIGHT - PAD + 16,
        "empty": not points,
    }


def gauge(fraction: float | None) -> dict:
    """A horizontal 0..100% bar."""
    value = 0 if fraction is None else max(0.0, min(1.0, fraction))
    return {"width": round(value * 100, 1), "pct": None if fraction is None else round(value * 100)}


def bars(
    rows: list[tuple[str, float | None, str]], *, peak: float | None = None, plot: int = 300
) -> dict:
    """Horizontal bars [(label, value, value label)], scaled to `peak` (or the largest)."""
    top = peak or max((v for _, v, _ in rows if v), default=0) or 1
    out = []
    for index, (label, value, text) in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        width = round(plot * (value or 0) / top, 1)
        out.append(
            {
                "label": label,
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "width": max(width, 2.0) if value else 0,
                "text": text,
                "text_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": out,
        "height": max(1, len(out)) * (BAR_HEIGHT + GAP),
        "width": LABEL_WIDTH + plot + 70,
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "x": LABEL_WIDTH,
    }
