"""What differs between the two databases the project runs on (SQLite in development, PostgreSQL
in production), in one place: code asks ``is_postgres()`` or calls a helper here instead of
testing ``connection.vendor`` itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q


def is_postgres(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when the database ``using`` is PostgreSQL (else SQLite)."""
    return connections[using].vendor == "postgresql"


@contextmanager
def no_parallel_workers(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block's queries without parallel workers on PostgreSQL (``SET LOCAL
    max_parallel_workers_per_gather = 0`` inside a transaction, so it ends with the block);
    elsewhere just run the block. For short bitmap scans where starting workers costs more than
    it saves under concurrent load."""
    if not is_postgres(using):
        yield
        return
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def analyze(using: str = DEFAULT_DB_ALIAS) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL ``ANALYZE``; nothing on SQLite)."""
    if is_postgres(using):
        with connections[using].cursor() as cursor:
            cursor.execute("ANALYZE")


def json_list_contains_q(field: str, value: str, using: str = DEFAULT_DB_ALIAS) -> Q:
    """Rows whose JSON list ``field`` holds the string ``value``: containment on PostgreSQL;
    SQLite has none, and its JSON text holds the value as ``json.dumps`` writes it."""
    if is_postgres(using):
        return Q(**{f"{field}__contains": [value]})
    return Q(**{f"{field}__icontains": json.dumps(value)})
