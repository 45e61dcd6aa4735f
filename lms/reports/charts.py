"""Server-rendered SVG geometry for the dashboard (no JavaScript library, CSP-friendly)."""

from __future__ import annotations

from .coverage import CoverageLine
from .selectors import TARGET_PERCENT, MonthPoint, UnitRow

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 190
PLOT_WIDTH = 300
CHART_WIDTH = LABEL_WIDTH + PLOT_WIDTH + 60


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def bar_chart(rows: list[UnitRow]) -> dict:
    """Horizontal bars of % per unit with a marker at the 100% target."""
    return _bars(
        [(r.name, r.figures.percent, r.figures.level, r.figures.level_label) for r in rows]
    )


def coverage_chart(lines: list[CoverageLine]) -> dict:
    """Measure 2: % of units with dissemination activity per sub-unit, target 100% of units."""
    return _bars([(line.name, line.percent, line.level, line.level_label) for line in lines])


def _bars(items: list[tuple[str, float | None, str, str]]) -> dict:
    bars = []
    for i, (name, pct, level, level_label) in enumerate(items):
        width = 0 if pct is None else round(PLOT_WIDTH * min(pct, 100) / 100, 1)
        y = i * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            {
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "width": width,
                "label": _short(name),
                "name": name,
                "value": "—" if pct is None else f"{pct:g}%",
                "value_x": LABEL_WIDTH + width + 6,
                "level": level,
                "level_label": level_label,
            }
        )
    height = max(len(items), 1) * (BAR_HEIGHT + BAR_GAP)
    return {
        "bars": bars,
        "height": height,
        "width": CHART_WIDTH,
        "bar_height": BAR_HEIGHT,
        "label_width": LABEL_WIDTH,
        "target_x": LABEL_WIDTH + PLOT_WIDTH * TARGET_PERCENT / 100,
    }


TREND_W, TREND_H, PAD_L, PAD_B, PAD_T = 480, 200, 40, 28, 10


def trend_chart(points: list[MonthPoint]) -> dict:
    """Cumulative % by month as a polyline on a 0–100% axis, the target as a dashed line."""
    plot_w = TREND_W - PAD_L - 10
    plot_h = TREND_H - PAD_B - PAD_T
    step = plot_w / 11

    def y_of(pct: float) -> float:
        return round(PAD_T + plot_h * (1 - min(pct, 100) / 100), 1)

    coords = []
    months = []
    for i, point in enumerate(points):
        x = round(PAD_L + i * step, 1)
        months.append({"x": x, "label": f"T{point.month.month}"})
        if point.percent is not None:
            coords.append(
                {
                    "x": x,
                    "y": y_of(point.percent),
                    "pct": f"{point.percent:g}",
                    "month": point.month,
                }
            )
    return {
        "width": TREND_W,
        "height": TREND_H,
        "points": " ".join(f"{c['x']},{c['y']}" for c in coords),
        "dots": coords,
        "months": months,
        "axis_y": TREND_H - PAD_B,
        "label_y": TREND_H - 8,
        "target_y": y_of(100),
        "mid_y": y_of(50),
        "pad_l": PAD_L,
        "right": TREND_W - 10,
    }
