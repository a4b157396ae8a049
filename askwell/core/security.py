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
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

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


# What pages take. The JSON API names its own methods per path.
PAGE_METHODS = ("GET", "HEAD", "POST")

View = Callable[..., HttpResponse]


def answers_its_own_methods(view: View) -> View:
    """Mark a view that answers every HTTP method itself (the JSON API:
    405 in its error shape, with the methods of the path), so
    HttpMethodMiddleware leaves it alone."""
    view.answers_its_own_methods = True  # type: ignore[attr-defined]  # a mark on the function
    return view


class HttpMethodMiddleware:
    """Pages answer GET, HEAD and POST only: any other method (OPTIONS,
    TRACE, PUT, DELETE, …) gets 405 with `Allow: GET, HEAD, POST` before the
    view runs. Function views otherwise answer every method with the page,
    so TRACE and OPTIONS returned it. Allow names what pages take; a page
    that takes only GET still answers a POST with its own 405."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: View,
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        if request.method in PAGE_METHODS or getattr(
            view_func, "answers_its_own_methods", False
        ):
            return None
        return HttpResponseNotAllowed(
            PAGE_METHODS,
            f"{request.method} is not allowed here.\n",
            content_type="text/plain; charset=utf-8",
        )
