"""Environment for the test suite, loaded with `-p askwell.testing.env` (see pyproject).

pytest-django reads the settings before any conftest.py is imported, so the
variables that settings require must be set by a plugin that loads earlier.
"""

from __future__ import annotations

import json
import os
import tempfile

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run beside one unless told it is safe (it is: one thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
# Collected static files are not needed: tests serve from the app folders.
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="askwell-static-"))
# The content generation of this test process only: not shared with other
# test runs in the same checkout, nor between the pytest-xdist workers of one
# run (they inherit the controller's environment, but each has a database of
# its own: another worker's writes must not expire this one's cached pages).
if os.environ.get("PYTEST_XDIST_WORKER") or "ASKWELL_CACHE_DIR" not in os.environ:
    os.environ["ASKWELL_CACHE_DIR"] = tempfile.mkdtemp(prefix="askwell-cache-")
# Background jobs run at once, after the commit, in the process that asks for
# them: a test sees a job's effect as soon as its transaction commits. The
# worker's own tests (askwell/operations/tests) use the database backend.
os.environ.setdefault("ASKWELL_TASKS_BACKEND", "immediate")
# Live-server threads must not keep connections open past a test, or
# PostgreSQL cannot drop the test database at the end of the run.
os.environ.setdefault("CONN_MAX_AGE", "0")
# The live server speaks plain HTTP, so cookies must not be Secure-only.
os.environ.setdefault("ASKWELL_HTTPS", "False")
# Forms are posted straight away, without the page's signed timestamp; the
# spam-check tests set a minimum time of their own.
os.environ.setdefault("ASKWELL_FORM_MIN_SECONDS", "0")
# Limits no ordinary test reaches (the whole suite shares one address and one
# cache); the rate-limit tests set low ones.
os.environ.setdefault(
    "ASKWELL_RATE_LIMITS",
    json.dumps(
        {
            name: {"user": "1000000/d", "ip": "1000000/d"}
            for name in (
                "signup",
                "login",
                "password_reset",
                "resend_verification",
                "email_change",
                "password_confirm",
                "ask",
                "answer",
                "comment",
                "flag",
                "vote",
                "search",
                "preview",
                "typing",
            )
        }
    ),
)
