from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from askwell.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("search/", core_views.search, name="search"),
    path("topics/", include("askwell.topics.urls")),
    path("questions/", include("askwell.questions.urls")),
    path("", include("askwell.experts.urls")),
    path("admin/", admin.site.urls),
    # Uploaded photos and covers. In production a reverse proxy should serve
    # /media/ itself; this keeps the single-process demo complete.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]

handler500 = "askwell.core.views.server_error"
