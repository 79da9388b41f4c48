"""The alert's chart: hourly volume as bars, the baseline as a line, in the style of
routing.charts (geometry here, inline SVG in the template, a table beside it)."""

from django.utils import timezone

WIDTH = 640
HEIGHT = 200
PAD = 40


def volume_chart(series: list[dict]) -> dict:
    n = len(series)
    peak = max([p["observed"] for p in series] + [p["expected"] for p in series] + [1])
    plot_w = WIDTH - 2 * PAD
    plot_h = HEIGHT - 2 * PAD
    step = plot_w / max(1, n)

    def y(value: float) -> float:
        return round(HEIGHT - PAD - value / peak * plot_h, 1)

    bars, line = [], []
    for i, p in enumerate(series):
        x = PAD + i * step
        top = y(p["observed"])
        bars.append(
            {
                "x": round(x + step * 0.15, 1),
                "y": top,
                "width": round(step * 0.7, 1),
                "height": round(HEIGHT - PAD - top, 1),
                "n": p["observed"],
                "expected": round(p["expected"], 1),
                "label": timezone.localtime(p["hour"]).strftime("%a %H:00"),
            }
        )
        line.append(f"{round(x + step / 2, 1)},{y(p['expected'])}")
    ticks = [{"y": y(v), "label": str(v)} for v in sorted({0, round(peak / 2), round(peak)})]
    labels = [
        {"x": round(PAD + i * step + step / 2, 1), "label": b["label"].split()[1]}
        for i, b in enumerate(bars)
        if i % 4 == 0
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "pad": PAD,
        "right": WIDTH - PAD,
        "bars": bars,
        "line": " ".join(line),
        "ticks": ticks,
        "labels": labels,
        "label_y": HEIGHT - PAD + 16,
        "empty": not any(p["observed"] for p in series),
    }
