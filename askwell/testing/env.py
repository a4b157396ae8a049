"""Environment for the test suite, loaded with `-p askwell.testing.env` (see pyproject).

pytest-django reads the settings before any conftest.py is imported, so the
variables that settings require must be set by a plugin that loads earlier.
"""

from __future__ import annotations

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
# Live-server threads must not keep connections open past a test, or
# PostgreSQL cannot drop the test database at the end of the run.
os.environ.setdefault("CONN_MAX_AGE", "0")
