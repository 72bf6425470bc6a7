from django.urls import path

from . import api

urlpatterns = [
    path("", api.MetricList.as_view(), name="api-metrics"),
    path("<slug:key>/", api.MetricSeries.as_view(), name="api-metric"),
]
