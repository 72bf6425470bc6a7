from django.urls import path

from . import api

urlpatterns = [
    path("", api.PlanList.as_view(), name="api-plans"),
    path("<int:plan_id>/", api.PlanDetail.as_view(), name="api-plan"),
    path("<int:plan_id>/check-ins/", api.CheckIns.as_view(), name="api-plan-check-ins"),
    path("<int:plan_id>/outreach/<slug:key>/", api.OutreachListView.as_view(), name="api-plan-outreach"),
]
