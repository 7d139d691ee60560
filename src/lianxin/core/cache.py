"""Django's database cache with an atomic ``incr`` and ``add``, for counters shared by workers.

Django's ``DatabaseCache.incr`` is a read followed by a write: two gunicorn workers counting the
same key at once both read 4 and both write 5, and a rate limit lets extra requests through.
Here ``incr`` is a compare-and-swap (``UPDATE ... WHERE value = <what was read>``, retried when
another worker got there first) and ``add`` replaces an expired row in one ``UPDATE``, so on
SQLite and PostgreSQL alike no increment is lost and a window restarts once.
"""

from __future__ import annotations

import base64
import pickle
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

_CAS_ATTEMPTS = 100


class SharedDatabaseCache(DatabaseCache):
    """The database cache; its table is created by ``migrate`` (core migration 0001)."""

    def _encode(self, value: Any) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def _connection(self):
        return connections[router.db_for_write(self.cache_model_class)]

    def _statements(self, connection) -> tuple[str, str, str]:
        """(take over an expired row, read a live value, swap a live value if unchanged).

        Expiry is stored to the second, so "expired" is ``expires <= now``, the exact complement
        of "live" (``expires > now``): at ``expires == now`` a row must be one or the other, or
        ``add`` refuses it as live while ``incr`` misses it as gone.

        Built from quoted identifiers only (the table name comes from CACHES); every value is a
        query parameter, hence the S608 waivers.
        """
        quote = connection.ops.quote_name
        t, k, v, e = (quote(n) for n in (self._table, "cache_key", "value", "expires"))
        return (
            f"UPDATE {t} SET {v} = %s, {e} = %s WHERE {k} = %s AND {e} <= %s",  # noqa: S608
            f"SELECT {v} FROM {t} WHERE {k} = %s AND {e} > %s",  # noqa: S608
            f"UPDATE {t} SET {v} = %s WHERE {k} = %s AND {v} = %s AND {e} > %s",  # noqa: S608
        )

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> bool:
        connection = self._connection()
        made = self.make_and_validate_key(key, version=version)
        exp = self._expiry(timeout)
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        take_expired = self._statements(connection)[0]
        with connection.cursor() as cursor:
            # An expired row is taken over by exactly one caller: the others see it unexpired.
            cursor.execute(take_expired, [self._encode(value), exp, made, now])
            if cursor.rowcount == 1:
                return True
        return super().add(key, value, timeout, version)  # insert; a racing insert loses

    def _expiry(self, timeout: Any):
        timeout = self.get_backend_timeout(timeout)
        tz = UTC if settings.USE_TZ else None
        exp = (
            datetime.max.replace(tzinfo=tz)
            if timeout is None
            else datetime.fromtimestamp(timeout, tz=tz)
        )
        return self._connection().ops.adapt_datetimefield_value(exp.replace(microsecond=0))

    def incr(self, key: str, delta: int = 1, version=None) -> int:
        connection = self._connection()
        made = self.make_and_validate_key(key, version=version)
        _take, read, swap = self._statements(connection)
        for _attempt in range(_CAS_ATTEMPTS):
            now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
            with connection.cursor() as cursor:
                cursor.execute(read, [made, now])
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key '{key}' not found.")
                old = connection.ops.process_clob(row[0])
                new = pickle.loads(base64.b64decode(old.encode())) + delta  # noqa: S301 - our own rows
                cursor.execute(swap, [self._encode(new), made, old, now])
                if cursor.rowcount == 1:
                    return new
        raise RuntimeError(f"cache key {key!r}: too much contention to increment")
