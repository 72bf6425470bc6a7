"""Burn-up charts of objectives, in the same Vega-Lite form as the reports' charts (metrics.charts):
drawn by the reports' vega-embed bundle and script, each with its table beside it."""

from datetime import date, timedelta

from metrics.charts import BRAND, SOFT

from .models import PLAN_DAYS


def target_line(plan, day: date, base: float, target: float) -> float:
    """Where a steady climb from the base on day 1 to the target on day 90 stands on `day`."""
    elapsed = (day - plan.start).days + 1
    return round(base + (target - base) * elapsed / PLAN_DAYS, 3)


def _scaled(unit: str, value):
    if value is None:
        return None
    return round(value * 100, 2) if unit == "percent" else round(value, 3)


def burn_up_chart(name: str, unit: str, points, plan, base: float, target: float, *, width="container",
                  height: int = 160) -> dict:
    domain = ["Actual", "Steady path to the target"]
    values = []
    for day, actual, _line in points:
        values.append({"date": day.isoformat(), "line": domain[0], "value": _scaled(unit, actual)})
    for day, value in ((plan.start - timedelta(days=1), base), (plan.end, target)):
        values.append({"date": day.isoformat(), "line": domain[1], "value": _scaled(unit, value)})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": f"{name}: actual against a steady path to the target",
        "width": width,
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"},
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": None,
                  "scale": {"domain": [(plan.start - timedelta(days=1)).isoformat(), plan.end.isoformat()]}},
            "y": {"field": "value", "type": "quantitative", "title": "%" if unit == "percent" else unit},
            "color": {"field": "line", "type": "nominal", "title": None,
                      "scale": {"domain": domain, "range": [BRAND, SOFT]}, "legend": {"orient": "top"}},
            "strokeDash": {"field": "line", "type": "nominal", "title": None, "legend": {"orient": "top"},
                           "scale": {"domain": domain, "range": [[1, 0], [4, 3]]}},
        },
        "config": {"view": {"stroke": None}, "font": "system-ui, sans-serif"},
    }
