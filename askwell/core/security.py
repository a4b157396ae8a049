"""Security headers on every response, pages and static files alike.

Django's SecurityMiddleware already sends HSTS (over HTTPS), nosniff,
Referrer-Policy and Cross-Origin-Opener-Policy; this adds what Django 5.2
has no setting for, the Content-Security-Policy and the Permissions-Policy,
and X-Frame-Options on static files too.

The policy allows scripts and styles from this site only. No page may run
inline script or `eval`, so text that slips past the Markdown sanitiser still
cannot execute; htmx is configured in base.html not to inject its indicator
<style>, and the templates keep their styles in site.css.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Browser features no page of Askwell uses: no third-party frame or script can
# ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    """Adds the policies unless a view has already set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # XFrameOptionsMiddleware sits below WhiteNoise, so static files would
        # go without; honour its per-view exemption all the same.
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response
