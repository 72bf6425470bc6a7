from django.urls import path

from . import views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report.pdf", views.report_pdf, name="report-pdf"),
    path("<slug:key>/", views.metric_detail, name="metric"),
    path("<slug:key>.csv", views.metric_csv, name="metric-csv"),
]
