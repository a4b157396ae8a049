from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest | None = None) -> dict[str, str]:
    """Values every page shows: the site's name and the operator's disclaimer."""
    return {
        "site_name": settings.ASKWELL_SITE_NAME,
        "disclaimer": settings.ASKWELL_DISCLAIMER,
    }
