"""Counts that every process of the site shares: rate-limit windows
(askwell/core/ratelimit.py) and used form tokens (askwell/core/antispam.py).

`increment(key, expires=…, now=…)` adds one to the count named `key` and
returns the new total; the count ends at `expires` (Unix time), after which
the same key starts again at 1. Where the counts live:

- Redis, when it is the default cache (REDIS_URL): `add()` then `incr()`,
  both atomic there.
- Otherwise the database (core.Counter), which every gunicorn worker, a
  restarted worker and a second server on the same database all see, with
  the embedded SQLite file as with PostgreSQL. Each increment is one
  `INSERT … ON CONFLICT DO UPDATE … RETURNING` statement, which both
  databases run atomically: two workers counting at once get 4 and 5,
  never 4 twice. (Django's database cache would not do: its `incr()` is a
  read followed by a write, so two workers can both read 3 and write 4.)
  Expired rows are deleted whenever a new count starts, so the table holds
  about one row per count of the current windows.
- Redis unreachable: the database, so limits hold through an outage, and
  the site keeps working (a count begun in Redis starts again at 0 in the
  database, once per window).

The local-memory cache is never used: each worker would count alone, and a
restarted worker would forget.
"""

from __future__ import annotations

import logging
import math

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from askwell.core.models import Counter

logger = logging.getLogger(__name__)


def increment(key: str, *, expires: float, now: float) -> int:
    """Add one to the count `key`, which ends at `expires`; the new count.

    Writes in the database's current transaction, if there is one: a count
    made inside a transaction that rolls back is undone with it.
    """
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        try:
            return _increment_in_cache(cache, key, expires=expires, now=now)
        except Exception:
            logger.exception("Redis is unreachable; counting in the database")
    return _increment_in_database(key, expires=expires, now=now)


def _increment_in_cache(
    cache: RedisCache, key: str, *, expires: float, now: float
) -> int:
    timeout = max(math.ceil(expires - now), 1)
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=timeout)
        return 1


def _upsert_sql() -> str:
    table = connection.ops.quote_name(Counter._meta.db_table)
    columns = {
        field.name: field.column
        for field in Counter._meta.concrete_fields
        if field.column is not None
    }
    key, count, expires = (
        connection.ops.quote_name(columns[name])
        for name in ("key", "count", "expires_at")
    )
    # Every right-hand side of SET reads the row as it was, in SQLite and
    # PostgreSQL alike: an expired count starts again at 1. Only quoted
    # names of this model go into the text; values are parameters.
    return (
        f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608 - quoted names only
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{expires} <= %s THEN 1 "
        f"ELSE {table}.{count} + 1 END, "
        f"{expires} = CASE WHEN {table}.{expires} <= %s THEN excluded.{expires} "
        f"ELSE {table}.{expires} END "
        f"RETURNING {count}"
    )


def _increment_in_database(key: str, *, expires: float, now: float) -> int:
    if len(key) > Counter._meta.get_field("key").max_length:  # type: ignore[operator]  # a CharField has one
        raise ValueError(f"Counter key too long: {key!r}")
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [key, math.ceil(expires), now, now])
        (count,) = cursor.fetchone()
    if count == 1:
        _prune(now)
    return int(count)


def _prune(now: float) -> None:
    """Delete the counts that have ended (one indexed DELETE)."""
    Counter.objects.filter(expires_at__lte=now).delete()
