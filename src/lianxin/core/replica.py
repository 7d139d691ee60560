"""The read replica's health: reachable, and how far behind the primary it is.

``replica_usable()`` answers from a per-process cache refreshed at most every
``LIANXIN_REPLICA_CHECK_SECONDS`` (default 5), so routing a read costs no query. The probe
(``measure_lag``) on PostgreSQL asks the primary for ``pg_current_wal_lsn()`` and then the
replica for ``pg_last_wal_replay_lsn()``: a replica that has replayed everything the primary
had written is 0 s behind; one that has not is as far behind as its last replayed
transaction (``now() - pg_last_xact_replay_timestamp()``), an upper bound. Over
``LIANXIN_REPLICA_MAX_LAG_SECONDS`` (default 30), or unreachable, the replica is not used and
reads stay on the primary; the change is logged once, and once more when it comes back.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger("lianxin.replica")

REPLICA = "replica"

_LAG_SQL = (
    "SELECT pg_is_in_recovery(), "
    "pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()), "
    "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
)


@dataclass(frozen=True)
class ReplicaState:
    """One probe's answer: whether reads may go to the replica, its lag and why not."""

    usable: bool
    lag: float | None  # seconds behind the primary; None when unreachable
    reason: str
    checked: float  # time.monotonic() of the probe


_lock = threading.Lock()
_states: dict[str, ReplicaState] = {}


def max_lag() -> float:
    """``LIANXIN_REPLICA_MAX_LAG_SECONDS``: the most a replica may be behind and still serve."""
    return float(getattr(settings, "LIANXIN_REPLICA_MAX_LAG_SECONDS", 30))


def check_interval() -> float:
    """``LIANXIN_REPLICA_CHECK_SECONDS``: how long one probe's answer is trusted."""
    return float(getattr(settings, "LIANXIN_REPLICA_CHECK_SECONDS", 5))


def configured(alias: str = REPLICA) -> bool:
    """Whether the settings define the replica alias (``DATABASE_REPLICA_URL``)."""
    return alias in connections.settings


def measure_lag(alias: str = REPLICA) -> float:
    """Seconds the replica is behind the primary (0.0 when it has replayed all the primary had
    written when asked; ``inf`` when it is behind and has replayed no transaction yet).
    A database that is not in recovery (the URL names a primary or a pooler in front of it)
    counts as 0 s. Other engines (SQLite in tests) only have to answer. Raises the
    driver's ``DatabaseError`` when the replica cannot be reached."""
    replica = connections[alias]
    primary = connections[DEFAULT_DB_ALIAS]
    if replica.vendor != "postgresql" or primary.vendor != "postgresql":
        with replica.cursor() as cursor:
            cursor.execute("SELECT 1")
        return 0.0
    with primary.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (primary_lsn,) = cursor.fetchone()
    with replica.cursor() as cursor:
        cursor.execute(_LAG_SQL, [primary_lsn])
        in_recovery, behind, age = cursor.fetchone()
    if not in_recovery or behind is None or behind <= 0:
        return 0.0
    return max(0.0, float(age)) if age is not None else math.inf


def _probe(alias: str) -> ReplicaState:
    now = time.monotonic()
    try:
        lag = measure_lag(alias)
    except Exception as exc:  # noqa: BLE001 — any failure to answer means "not usable"
        with contextlib.suppress(Exception):
            connections[alias].close()  # the next probe reconnects
        return ReplicaState(False, None, f"unreachable: {type(exc).__name__}: {exc}"[:300], now)
    bound = max_lag()
    if lag > bound:
        return ReplicaState(False, lag, f"lag {lag:.1f} s > {bound:g} s", now)
    return ReplicaState(True, lag, "", now)


def _remember(alias: str, state: ReplicaState) -> ReplicaState:
    before = _states.get(alias)
    _states[alias] = state
    if not state.usable and (before is None or before.usable):
        logger.warning("read replica %r not used, reads go to the primary: %s", alias, state.reason)
    elif state.usable and before is not None and not before.usable:
        logger.info("read replica %r back in use (lag %.1f s)", alias, state.lag or 0.0)
    return state


def replica_state(alias: str = REPLICA) -> ReplicaState:
    """The replica's last probe, probing again when it is older than ``check_interval()``."""
    state = _states.get(alias)
    if state is not None and time.monotonic() - state.checked < check_interval():
        return state
    with _lock:
        state = _states.get(alias)
        if state is not None and time.monotonic() - state.checked < check_interval():
            return state
        return _remember(alias, _probe(alias))


def replica_usable(alias: str = REPLICA) -> bool:
    """Reads may go to the replica: configured, reachable and within the lag bound. When the
    cached probe says yes, the connection is still checked the way Django checks it once per
    request (``CONN_HEALTH_CHECKS``), so a replica stopped since the probe is noticed here,
    before a read fails."""
    if not configured(alias):
        return False
    if not replica_state(alias).usable:
        return False
    conn = connections[alias]
    try:
        conn.close_if_health_check_failed()
        conn.ensure_connection()
    except Exception as exc:  # noqa: BLE001
        with _lock:
            _remember(
                alias,
                ReplicaState(False, None, f"unreachable: {type(exc).__name__}", time.monotonic()),
            )
        return False
    return True


def reset() -> None:
    """Forget every probe (tests; after changing the replica's settings)."""
    with _lock:
        _states.clear()
