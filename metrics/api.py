"""The metrics API: the catalogue with its definitions, and a metric's series for a period with the
previous period. Readers of reports only (`view_reports`)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .catalogue import METRICS


class CanViewReports(BasePermission):
    def has_permission(self, request, view) -> bool:
        selectors.check_view_reports_permission(request.user)  # PermissionDenied → 403 with its message
        return True


class MetricSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    area = serializers.CharField()
    indicator = serializers.ChoiceField(choices=["leading", "lagging"])
    definition = serializers.CharField()
    formula = serializers.CharField()
    aggregate = serializers.CharField(help_text="How a period's figure is made from the daily rows.")
    unit = serializers.CharField(help_text="count, percent (a fraction: 0.25 is 25 %), hours, days, ratio or money")
    by_group = serializers.BooleanField(help_text="Broken down by forum group on its page.")


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class PointSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    value = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True, help_text="The same position in the previous period.")


class SeriesSerializer(serializers.Serializer):
    metric = MetricSerializer()
    period = PeriodSerializer()
    previous_period = PeriodSerializer()
    staff_included = serializers.BooleanField()
    granularity = serializers.ChoiceField(choices=["day", "week"])
    value = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True, help_text="(value − previous) ÷ previous")
    currency = serializers.CharField()
    series = PointSerializer(many=True)


class MetricList(APIView):
    permission_classes = [CanViewReports]

    @extend_schema(responses=MetricSerializer(many=True), summary="The metric catalogue with its definitions")
    def get(self, request):
        return Response(MetricSerializer(METRICS, many=True).data)


PERIOD_PARAMETERS = [
    OpenApiParameter("period", str, enum=list(selectors.PERIODS), description="Default last30; custom needs start and end"),
    OpenApiParameter("start", str, description="YYYY-MM-DD (custom period)"),
    OpenApiParameter("end", str, description="YYYY-MM-DD (custom period; yesterday at the latest)"),
    OpenApiParameter("granularity", str, enum=["day", "week"]),
    OpenApiParameter("staff", str, enum=["0", "1"], description="1 includes staff in member metrics"),
]


class MetricSeries(APIView):
    permission_classes = [CanViewReports]

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=SeriesSerializer, summary="A metric's series for a period")
    def get(self, request, key: str):
        metric = selectors.access_metric(key)
        # A bad period or granularity (MetricsError) answers 400 through the one API error handler.
        period = selectors.period_from(request.query_params)
        granularity = request.query_params.get("granularity") or "day"
        include_staff = selectors.staff_from(request.query_params)
        page = selectors.metric_page(key, period, include_staff=include_staff, granularity=granularity)
        data = {
            "metric": metric,
            "period": period,
            "previous_period": period.previous,
            "staff_included": page.include_staff,
            "granularity": granularity,
            "value": page.figure.value,
            "previous": page.figure.previous,
            "change": page.figure.change,
            "currency": page.value_model.currency,
            "series": page.points,
        }
        return Response(SeriesSerializer(data).data)
