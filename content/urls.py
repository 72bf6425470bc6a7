from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path("share/<int:page_id>/", views.share, name="share"),
    path("guest-posts/new/", views.guest_post, name="guest-post"),
    path("curation/", views.curation, name="curation"),
    path("digests/add/<int:post_id>/", views.add_to_digest, name="add-to-digest"),
    path("digests/remove/<int:post_id>/", views.remove_from_digest, name="remove-from-digest"),
    path("digests/start/", views.start_digest, name="start-digest"),
    path("quotes/<int:quote_id>/consent/", views.consent, name="consent"),
    path("quoting/", views.quoting, name="quoting"),
]
