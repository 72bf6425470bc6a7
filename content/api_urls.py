from django.urls import path

from . import api

urlpatterns = [
    path("share/<int:page_id>/", api.ShareView.as_view(), name="api-content-share"),
    path("guest-posts/", api.GuestPostView.as_view(), name="api-guest-posts"),
    path("credits/", api.CreditList.as_view(), name="api-credits"),
]
