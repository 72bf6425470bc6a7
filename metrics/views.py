"""The reports for executive sponsors, managers and administrators: the dashboard, a page per
metric and its CSV. Every view checks `view_reports`; every figure comes from the rollups."""

import csv
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from . import catalogue, charts, registry, report, selectors
from .errors import MetricsError

# Charts on a page fill their panel (the PDF gives them a fixed width).
PAGE_WIDTH = "container"


def report_view(view):
    """Every report: signed in, `view_reports` checked, the period read from the query; a period or
    granularity a report cannot answer is a 400 page that says why."""

    @login_required
    @wraps(view)
    def answer(request, *args, **kwargs):
        selectors.check_view_reports_permission(request.user)
        try:
            return view(request, *args, period=selectors.period_from(request.GET), **kwargs)
        except MetricsError as error:
            return render(request, "metrics/refused.html", {"message": error.message}, status=error.status)

    return answer


def _query(request, period) -> str:
    """The period and staff toggle as a query string, for links between reports."""
    params = {"period": period.name}
    if period.name == "custom":
        params.update(start=period.start.isoformat(), end=period.end.isoformat())
    if selectors.staff_from(request.GET):
        params["staff"] = "1"
    return urlencode(params)


def _granularity(request) -> str:
    return request.GET.get("granularity") or "day"


@report_view
def dashboard(request, *, period):
    include_staff = selectors.staff_from(request.GET)
    report = selectors.dashboard(period, include_staff=include_staff)
    return render(
        request,
        "metrics/dashboard.html",
        {
            "report": report,
            "periods": selectors.period_choices(),
            "query": _query(request, period),
            "cohorts": selectors.cohorts(period, include_staff=include_staff),
            "areas": catalogue.AREAS,
            "growth_chart": charts.growth_chart(report.growth, width=PAGE_WIDTH),
            "sections": registry.sections(registry.dashboard_sections, period, request.user),
        },
    )


@report_view
def report_pdf(request, *, period):
    pdf = report.render_pdf(period, include_staff=selectors.staff_from(request.GET),
                            base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="community-report-{period.start}-{period.end}.pdf"'
    return response


@report_view
def metric_detail(request, key: str, *, period):
    page = selectors.metric_page(
        key, period, include_staff=selectors.staff_from(request.GET), granularity=_granularity(request)
    )
    chart = charts.series_chart(page.metric, page.points, currency=page.value_model.currency, width=PAGE_WIDTH)
    return render(
        request,
        "metrics/metric.html",
        {"page": page, "periods": selectors.period_choices(), "query": _query(request, period), "chart": chart},
    )


@report_view
def metric_csv(request, key: str, *, period):
    metric = selectors.access_metric(key)
    points = selectors.series(
        metric, period, include_staff=selectors.staff_from(request.GET), granularity=_granularity(request)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{metric.key}-{period.start}-{period.end}.csv"'
    writer = csv.writer(response)
    writer.writerow(["start", "end", metric.key, f"previous_{metric.key}"])
    for point in points:
        writer.writerow([point.start, point.end, _csv_number(point.value), _csv_number(point.previous)])
    return response


def _csv_number(value) -> str:
    return "" if value is None else repr(float(value))
