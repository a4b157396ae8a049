from __future__ import annotations

from django.urls import path

from askwell.moderation import views

app_name = "moderation"
urlpatterns = [
    path("flag/<str:kind>/<int:pk>/", views.flag, name="flag"),
    path("flags/", views.flag_queue, name="flags"),
    path("flags/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("content/<str:kind>/<int:pk>/<str:verb>/", views.moderate, name="moderate"),
    path("removed/", views.removed, name="removed"),
    path("held/", views.held, name="held"),
    path("questions/<slug:slug>/approve/", views.approve, name="approve"),
    path("questions/<slug:slug>/reject/", views.reject, name="reject"),
    path("questions/<slug:slug>/duplicate/", views.duplicate, name="duplicate"),
    path("questions/<slug:slug>/reopen/", views.reopen, name="reopen"),
    path("audit/", views.audit_log, name="audit"),
    path("me/export/", views.export, name="export"),
    path("me/delete/", views.delete_account, name="delete-account"),
]
