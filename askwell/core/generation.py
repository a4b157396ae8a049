"""The content generation: one number that changes whenever content does.

Cached anonymous pages and their ETags are keyed by it (askwell/core/caching.py),
so any write to what a public page shows makes every cached page and every
ETag a browser or proxy holds obsolete at once. One global number is coarse
(an edit to one answer re-renders the home page too), but it cannot miss a
dependency, and pages are cheap to re-render next to a wrong one being served.

Where the number lives: in the "shared" cache (settings.CACHES), which every
process of one site reads: Redis when REDIS_URL is set, otherwise a file in
ASKWELL_CACHE_DIR. The local-memory page cache is per process, but each
worker must see the same generation, or a worker would go on serving a page
another worker's write made stale.

How writes are noticed: every SQL statement goes through a database
execute-wrapper installed on each connection. Model signals would miss
QuerySet.update(), bulk_create() and the search backends' raw SQL, which the
importers, account deletion and reindexing use. A write to a table that
public pages show bumps the generation after its transaction commits, which
drops any page a request rendered from the data before the commit; and at
once, inside the transaction, when this process has rendered a page since
the last bump (see content_changed()), so that the same transaction, and the
tests, which run inside one, see the change too.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"

# INSERT/UPDATE/DELETE as Django and the search backends write them; the
# group is the table.
_WRITE = re.compile(
    r"""^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)
        \s+"?(\w+)""",
    re.IGNORECASE | re.VERBOSE,
)
_TRUNCATE = re.compile(r"^\s*TRUNCATE\b", re.IGNORECASE)
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLAC", "TRUNCA")

# Tables no anonymous page shows: sessions, each reader's own notifications,
# follows and saved questions, reports, the audit log (editors only), and
# the rate-limit and form-token counts. And each question's stored
# "Continue learning" (search/related.py): a page's first visit stores the
# list it shows, which must not make every cached page obsolete (most
# visits are first visits); the job that refreshes lists follows a change
# that bumped the generation already, and a page rendered between the two
# shows the list from before until the next change.
UNSHOWN_TABLES = frozenset(
    {
        "search_relatedquestions",
        "django_session",
        "core_counter",
        "django_admin_log",
        "notifications_notification",
        "notifications_preference",
        "notifications_topicfollow",
        "notifications_questionfollow",
        "notifications_savedquestion",
        "moderation_flag",
        "audit_logentry",
    }
)
# Updates that happen on every visit or sign-in and change no page's text:
# the question page's view counter (it only orders "popular" lists, which may
# lag until the cached page's period ends) and the last sign-in time.
_UNSHOWN_UPDATES = re.compile(
    r"""^UPDATE\ "questions_question"\ SET\ "view_count"\ =
          \ \("questions_question"\."view_count"\ \+\ %s\)\ WHERE\ [^,]*$
      |^UPDATE\ "accounts_user"\ SET\ "last_login"\ =\ %s\ WHERE\ [^,]*$""",
    re.VERBOSE,
)


def _store() -> Any:
    return caches["shared"]


# Whether this process has read the generation since it last changed it.
# Only a page this process renders can see rows of a transaction that has
# not committed yet (tests run each test inside one transaction); so only
# then must a write inside a transaction change the generation at once.
_read_since_bump = False


def content_generation() -> int:
    """The current generation, a random number that a bump replaces."""
    global _read_since_bump
    _read_since_bump = True  # before reading: see content_changed()
    store = _store()
    value = store.get(GENERATION_KEY)
    if value is None:
        store.add(GENERATION_KEY, _new_generation(), timeout=None)
        value = store.get(GENERATION_KEY)
    return int(value)


def _new_generation() -> int:
    """A bump sets a new random number rather than adding one: with a store
    whose increment is not atomic (the file), two bumps that race still leave
    a value no page was ever cached under, and a store that lost the value
    (Redis restarted, the folder cleared) cannot start again at an old one
    whose ETags browsers still hold."""
    return secrets.randbits(60)


def bump_content_generation() -> None:
    """Make every cached page and ETag obsolete. Never raises: a cache that is
    down must not fail the write that changed the content."""
    global _read_since_bump
    _read_since_bump = False
    try:
        _store().set(GENERATION_KEY, _new_generation(), timeout=None)
    except Exception:
        logger.exception("Could not bump the content generation")


def changes_content(sql: str) -> bool:
    """Whether this statement writes something an anonymous page may show."""
    if not isinstance(sql, str) or sql.lstrip()[:6].upper() not in _WRITE_VERBS:
        return False
    if _TRUNCATE.match(sql):
        return True
    match = _WRITE.match(sql)
    if match is None:
        return False
    if match[1].lower() in UNSHOWN_TABLES:
        return False
    return _UNSHOWN_UPDATES.match(sql.strip()) is None


def _after_commit() -> None:
    bump_content_generation()


def content_changed(connection: BaseDatabaseWrapper) -> None:
    """Bump after the commit; and now, if a page rendered in this process
    since the last bump could go stale before then."""
    if not connection.in_atomic_block:
        bump_content_generation()  # autocommit: already committed
        return
    if _read_since_bump:
        bump_content_generation()
    # Entries are (savepoints, func, robust); the stubs know only the first two.
    if not any(entry[1] is _after_commit for entry in connection.run_on_commit):
        connection.on_commit(_after_commit)


def watch_writes(
    execute: Callable[..., Any],
    sql: str,
    params: Any,
    many: bool,
    context: dict[str, Any],
) -> Any:
    """Execute-wrapper: run the statement, then note a content change."""
    result = execute(sql, params, many, context)
    if changes_content(sql):
        content_changed(context["connection"])
    return result


def install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver. First in the list, so that the
    `execute_wrapper()` context manager, which pops the last, stays correct."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch_writes)


def install_on_open_connections() -> None:
    for connection in connections.all(initialized_only=True):
        install(connection)
