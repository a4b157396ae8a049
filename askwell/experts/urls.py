from __future__ import annotations

from django.urls import path

from askwell.experts import views

app_name = "experts"
# The contributor directory, a contributor's page and feed, and a book's
# page list answers: askwell/urls.py adds them to this namespace from
# questions/urls.py (contributor_pages).
urlpatterns = [
    path("contributors/<slug:slug>/members/", views.members, name="members"),
    path(
        "contributors/<slug:slug>/members/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path("contributors/<slug:slug>/edit/", views.edit_profile, name="edit_profile"),
    path("videos/", views.video_list, name="videos"),
    path("videos/<slug:slug>/", views.video, name="video"),
    path("experts/invitations/", views.invitations, name="invitations"),
    path(
        "experts/invitations/<int:pk>/accept/",
        views.accept_invitation,
        name="accept_invitation",
    ),
    path(
        "experts/invitations/<int:pk>/decline/",
        views.decline_invitation,
        name="decline_invitation",
    ),
    path("experts/apply/", views.apply, name="apply"),
    path("experts/applications/", views.review_queue, name="review_queue"),
    path("experts/applications/<int:pk>/", views.application, name="application"),
    path("experts/applications/<int:pk>/approve/", views.approve, name="approve"),
    path("experts/applications/<int:pk>/reject/", views.reject, name="reject"),
]
