"""/healthz and /readyz for load balancers and orchestrators.

/healthz says the process answers: it touches neither the database nor the
cache, so a database outage does not get every app server restarted.
/readyz says this process can serve pages: the database answers a query and
both caches (pages and rate limits; the content generation) store and return
a value. Neither is cached or rate limited, and both say `no-store`.
"""

from __future__ import annotations

import logging
import secrets

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

CACHE_ALIASES = ("default", "shared")


def _no_store(payload: dict[str, object], status: int = 200) -> JsonResponse:
    response = JsonResponse(payload, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return _no_store({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")


def _check_cache(alias: str) -> None:
    cache = caches[alias]
    token = secrets.token_hex(8)
    cache.set("readyz", token, timeout=30)
    if cache.get("readyz") != token:
        raise RuntimeError("a value set was not read back")


@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the caches answer, else 503 naming which
    failed and with what kind of error (the details go to the log)."""
    checks: dict[str, str] = {}
    probes = {"database": _check_database} | {
        f"cache:{alias}": (lambda alias=alias: _check_cache(alias))
        for alias in CACHE_ALIASES
    }
    for name, probe in probes.items():
        try:
            probe()
        except Exception as error:
            logger.exception("readyz: %s is not reachable", name)
            checks[name] = f"error: {type(error).__name__}"
        else:
            checks[name] = "ok"
    ready = all(state == "ok" for state in checks.values())
    return _no_store(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
