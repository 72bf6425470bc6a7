"""Chart definitions (Vega-Lite specs as plain dicts): one definition serves the page, where
vega-embed draws it, and the PDF, where vl-convert renders it to SVG. Each chart's data is also
shown as a table beside it."""

from datetime import timedelta

from .catalogue import DOUBLING_DAYS, Metric

BRAND, SOFT = "#0f766e", "#9aa5b1"
PERCENT_UNITS = {"percent"}
# The first and last date labels are aligned inside the axis (not centred on their tick, where
# they stuck out of a narrow chart and WeasyPrint clipped the last one), overlapping ones are
# thinned out, and a little room is left on the right for the text's own width.
X_AXIS = {"labelFlush": True, "labelOverlap": True}
PRINT_FONT = "DejaVu Sans"  # installed with WeasyPrint's Pango (fonts-dejavu-core) here and in the image
PADDING = {"left": 5, "top": 5, "right": 14, "bottom": 5}


def _axis_title(metric: Metric, currency: str) -> str:
    return {"percent": "%", "hours": "hours", "days": "days", "money": currency}.get(metric.unit, metric.name)


def _scaled(metric: Metric, value):
    if value is None:
        return None
    return round(value * 100, 2) if metric.unit in PERCENT_UNITS else round(value, 3)


def series_chart(metric: Metric, points, *, currency: str = "", width: int | str = 640, height: int = 220) -> dict:
    """The metric over the period (solid) with the previous period at the same positions (dashed)."""
    values = []
    for point in points:
        values.append({"date": point.start.isoformat(), "period": "This period", "value": _scaled(metric, point.value)})
        values.append({"date": point.start.isoformat(), "period": "Previous period",
                       "value": _scaled(metric, point.previous)})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": f"{metric.name}: this period and the previous one",
        "width": width,
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"},  # axes and legend inside the width
        "padding": PADDING,
        "data": {"values": values},
        "mark": {"type": "line", "point": len(points) <= 31, "interpolate": "monotone"},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": None, "axis": X_AXIS},
            "y": {"field": "value", "type": "quantitative", "title": _axis_title(metric, currency)},
            "color": {"field": "period", "type": "nominal", "title": None,
                      "scale": {"domain": ["This period", "Previous period"], "range": [BRAND, SOFT]},
                      "legend": {"orient": "top"}},
            # One legend for both channels: the dash tells the lines apart without colour.
            "strokeDash": {"field": "period", "type": "nominal", "title": None, "legend": {"orient": "top"},
                           "scale": {"domain": ["This period", "Previous period"], "range": [[1, 0], [4, 3]]}},
        },
        "config": {"view": {"stroke": None}, "font": "system-ui, sans-serif"},
    }


def growth_points(rows, period) -> list[dict]:
    """Members day by day against a community doubling every six months from the period's start."""
    start_row = rows.by_metric.get(("members_total", 0), {}).get(period.start - timedelta(days=1))
    base = start_row.value if start_row and start_row.value else None
    points = []
    for row in rows.between("members_total", period.start, period.end):
        days = (row.day - period.start).days + 1
        curve = round(base * 2 ** (days / DOUBLING_DAYS), 1) if base else None
        points.append({"day": row.day, "members": row.value, "curve": curve})
    return points


def growth_chart(points: list[dict], *, width: int | str = 640, height: int = 200) -> dict:
    values = []
    for point in points:
        values.append({"date": point["day"].isoformat(), "line": "Members", "value": point["members"]})
        if point["curve"] is not None:
            values.append(
                {"date": point["day"].isoformat(), "line": "Doubling every 6 months", "value": point["curve"]}
            )
    domain = ["Members", "Doubling every 6 months"]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": "Members against the six-month doubling curve",
        "width": width,
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"},  # axes and legend inside the width
        "padding": PADDING,
        "data": {"values": values},
        "mark": {"type": "line", "interpolate": "monotone"},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": None, "axis": X_AXIS},
            "y": {"field": "value", "type": "quantitative", "title": "members", "scale": {"zero": False}},
            "color": {"field": "line", "type": "nominal", "title": None,
                      "scale": {"domain": domain, "range": [BRAND, SOFT]}, "legend": {"orient": "top"}},
            "strokeDash": {"field": "line", "type": "nominal", "title": None, "legend": {"orient": "top"},
                           "scale": {"domain": domain, "range": [[1, 0], [4, 3]]}},
        },
        "config": {"view": {"stroke": None}, "font": "system-ui, sans-serif"},
    }


def to_svg(spec: dict) -> str:
    """The chart as SVG, for the PDF (about 90 ms a chart after a 1.5 s first call: never on a page)."""
    import vl_convert

    # vl-convert lays labels out with the metrics of the font it finds; WeasyPrint draws the SVG's
    # text with its own. With system-ui they differed (DejaVu Sans is wider) and neighbouring date
    # labels ran into each other: name a font both have.
    spec = {**spec, "config": {**spec.get("config", {}), "font": PRINT_FONT}}
    return vl_convert.vegalite_to_svg(spec)
