"""Reads from the replica where they may be a little behind: dashboards, reports, exports.

Nothing reads from the replica unless asked: a block of code opts in with
``with read_replica():`` (a view with ``@replica_view``, a URL list with
``replica_urls(urlpatterns)``, both for GET and HEAD only). Inside such a block the
router (``ReplicaRouter``, installed when ``DATABASE_REPLICA_URL`` is set) sends reads to the
``replica`` alias when it is reachable and no more than ``LIANXIN_REPLICA_MAX_LAG_SECONDS``
behind (``lianxin.core.replica``, probed every few seconds), else to the primary. The decision
is taken once when the block starts, so one page never mixes the two.

Rules the router enforces:

* writes always go to the primary (``default``), and migrations only run there;
* inside the block, a model written in the block is read back from the primary (a job's
  progress, an audit row), and so is everything inside a transaction on the primary, and
  the cache, sessions, log-in lockouts and the task queue (``PRIMARY_ONLY``);
* outside any block everything is read from the primary, even an object loaded from the
  replica (its related objects too).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from lianxin.core import replica

REPLICA = replica.REPLICA
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Always read from the primary, even inside a block: sessions, log-in lockouts, the task queue
# (and the database cache, which is no real model).
PRIMARY_ONLY = frozenset({"sessions", "axes", "django_tasks_db"})


@dataclass
class _Reads:
    alias: str  # where this block's reads go: REPLICA or DEFAULT_DB_ALIAS
    written: set[str] = field(default_factory=set)  # labels of the models written in the block


_reads: ContextVar[_Reads | None] = ContextVar("lianxin_read_replica", default=None)


def _test_mirror_hides_data() -> bool:
    """Under Django's TestCase the replica alias is a MIRROR of the test database on its own
    connection, which cannot see the test's uncommitted rows: read from the primary then."""
    if not (connections.settings[REPLICA].get("TEST") or {}).get("MIRROR"):
        return False
    return any(
        getattr(a, "_from_testcase", False) for a in connections[DEFAULT_DB_ALIAS].atomic_blocks
    )


def _choose() -> str:
    if not replica.configured() or _test_mirror_hides_data():
        return DEFAULT_DB_ALIAS
    return REPLICA if replica.replica_usable() else DEFAULT_DB_ALIAS


@contextmanager
def read_replica() -> Iterator[str]:
    """Reads inside the block may come from the replica (when usable); yields the alias chosen.
    Nested blocks keep the outer block's choice."""
    current = _reads.get()
    if current is not None:
        yield current.alias
        return
    token = _reads.set(_Reads(_choose()))
    try:
        yield _reads.get().alias  # type: ignore[union-attr]
    finally:
        _reads.reset(token)


def reading_from() -> str:
    """The alias the current block reads from (the primary outside any block)."""
    current = _reads.get()
    return current.alias if current is not None else DEFAULT_DB_ALIAS


def replica_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view whose GET and HEAD requests read inside ``read_replica()``; other methods as is."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        with read_replica():
            return view(request, *args, **kwargs)

    return wrapper


def replica_urls(patterns: list) -> list:
    """Wrap every view of a URL list in ``replica_view`` (the marks the route tests read are
    kept: ``functools.wraps`` copies them)."""
    for pattern in patterns:
        if hasattr(pattern, "callback"):
            pattern.callback = replica_view(pattern.callback)
    return patterns


def _in_transaction() -> bool:
    """A transaction open on the primary (not the ones Django's TestCase wraps a test in)."""
    return any(
        not getattr(a, "_from_testcase", False) for a in connections[DEFAULT_DB_ALIAS].atomic_blocks
    )


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: reads inside ``read_replica()`` to the replica, all else to
    the primary (the rules are in this module's docstring)."""

    def db_for_read(self, model, **hints) -> str:
        current = _reads.get()
        if current is None or current.alias == DEFAULT_DB_ALIAS:
            return DEFAULT_DB_ALIAS
        label = getattr(model._meta, "label", None)  # None: the database cache's table
        if label is None or label in current.written or model._meta.app_label in PRIMARY_ONLY:
            return DEFAULT_DB_ALIAS
        return DEFAULT_DB_ALIAS if _in_transaction() else current.alias

    def db_for_write(self, model, **hints) -> str:
        current = _reads.get()
        label = getattr(model._meta, "label", None)
        if current is not None and label is not None:
            current.written.add(label)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        both = {obj1._state.db, obj2._state.db}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA, None} else None

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
