"""The executive report as PDF (WeasyPrint): a cover summary with the headline figures, the money
value, growth against doubling and the biggest movers, then the charts, every metric beside its
previous value, and the definitions. Figures only: no member is named and no one's own
reciprocity appears."""

import base64
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string

from . import catalogue, charts, registry, selectors
from .catalogue import BY_KEY
from .selectors import Period

PRINT_STYLESHEET = Path(__file__).resolve().parent / "static" / "metrics" / "report-print.css"
REPORT_CHARTS = ["active_members", "gives", "time_to_first_reply", "value_total"]
MOVERS = 5


@dataclass
class Chart:
    title: str
    svg_data_uri: str
    rows: list


def biggest_movers(report: selectors.Dashboard) -> list[selectors.Figure]:
    """The metrics that changed most against the previous period (by the size of the change),
    leaving out figures with nothing to compare."""
    moved = [figure for figure in report.figures.values() if figure.change is not None and figure.change != 0]
    return sorted(moved, key=lambda figure: -abs(figure.change))[:MOVERS]


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def context(period: Period, *, include_staff: bool) -> dict:
    report = selectors.dashboard(period, include_staff=include_staff)
    currency = report.value_model.currency
    report_charts = [
        Chart("Members against doubling every six months",
              _data_uri(charts.to_svg(charts.growth_chart(report.growth, width=300, height=130))), [])
    ]
    for key in REPORT_CHARTS:
        metric = BY_KEY[key]
        points = selectors.series(metric, period, include_staff=include_staff,
                                  granularity="week" if period.length > 31 else "day")
        spec = charts.series_chart(metric, points, currency=currency, width=300, height=130)
        report_charts.append(Chart(metric.name, _data_uri(charts.to_svg(spec)), points))
    return {
        "report": report,
        "currency": currency,
        "movers": biggest_movers(report),
        "charts": report_charts,
        "metrics": [report.figures[metric.key] for metric in catalogue.METRICS],
        "sections": registry.sections(registry.report_sections, period),
    }


def summary_text(report_context: dict) -> str:
    """The mail's body: the headline figures and the biggest movers, in plain text."""
    return render_to_string("metrics/report_mail.txt", report_context)


def render_pdf(period: Period, *, include_staff: bool, base_url: str = "", report_context: dict | None = None) -> bytes:
    import weasyprint

    html = render_to_string("metrics/report_pdf.html", report_context or context(period, include_staff=include_staff))
    # The print stylesheet is handed to WeasyPrint as a file: no page carries inline style.
    stylesheet = weasyprint.CSS(filename=str(PRINT_STYLESHEET))
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(stylesheets=[stylesheet])
