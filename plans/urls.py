from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="new"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/change/", views.plan_change, name="change"),
    path("<int:plan_id>/objectives/", views.add_objective, name="add-objective"),
    path("<int:plan_id>/objectives/<int:objective_id>/", views.update_objective, name="update-objective"),
    path("<int:plan_id>/programmes/", views.add_programme, name="add-programme"),
    path("<int:plan_id>/initiatives/", views.add_initiative, name="add-initiative"),
    path("<int:plan_id>/initiatives/<int:initiative_id>/done/", views.initiative_done, name="initiative-done"),
    path("<int:plan_id>/check-ins/", views.check_in, name="check-in"),
    path("<int:plan_id>/beta-group/", views.beta_group, name="beta-group"),
    path("<int:plan_id>/close/", views.close, name="close"),
    path("<int:plan_id>/lessons/", views.lessons, name="lessons"),
    path("<int:plan_id>/next/", views.start_next, name="next"),
    path("<int:plan_id>/outreach/", views.outreach_lists, name="outreach"),
    path("<int:plan_id>/outreach/<slug:key>.csv", views.outreach_csv, name="outreach-csv"),
]
