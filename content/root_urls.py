"""Content's pages at the site's top level, without a namespace: the site search."""

from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search, name="search"),
]
