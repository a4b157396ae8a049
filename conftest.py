"""Test-wide fixtures: real databases, real Chromium, no network.

Environment variables are set earlier, by askwell/testing/env.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = [
    # The people tests act as: asker, stranger, expert, other_expert, ...
    "askwell.testing.people",
    # job_queue: jobs wait in the database until the test runs them.
    "askwell.testing.jobs",
    # The corpus tier: tests of the full data sets, run when they are present.
    "askwell.testing.tiers",
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Plain static storage (no collectstatic manifest), a throwaway media
    folder, and cheap password hashes (askwell/testing/hashers.py)."""
    settings.PASSWORD_HASHERS = [
        "askwell.testing.hashers.QuickArgon2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_search_state(request, django_db_blocker):
    """Each test starts with no search data cached from an earlier test's
    rolled-back state (see indexing.forget_cached_state), and ends without
    leaving lexical index rows behind: a transactional test's flush empties
    Django's tables but not SQLite's FTS5 table, which no model owns."""
    from askwell.search.indexing import forget_cached_state

    forget_cached_state()
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        from django.db import connection

        from askwell.search.backends import backend

        with django_db_blocker.unblock():
            if connection.vendor == "sqlite":
                backend().clear()


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """No test is served a page cached by an earlier one: rolling back a
    test's transaction does not bump the content generation, a write does."""
    from askwell.core.generation import bump_content_generation

    bump_content_generation()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (`python3 dev.py test` does)."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }
