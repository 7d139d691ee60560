"""The top-level request categories, kept in the process for a minute.

The workbench's filter form lists them on every page view of every clerk (one query each), and
they change a few times a year, on the category screen. They are read again after
``LIANXIN_CATEGORY_CACHE_SECONDS`` (default 60) and at once in the process that saved or deleted
a category (the signal below); another app server sees an edit within that minute. A category
that vanished in the meantime filters to an empty list, never an error. Only the filter's
choices come from here: intake, routing and deadlines always read the table.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lianxin.cases.models import Category

_lock = threading.Lock()
_state: dict[str, object] = {"at": None, "rows": ()}


def _ttl() -> float:
    return float(getattr(settings, "LIANXIN_CATEGORY_CACHE_SECONDS", 60))


def top_categories() -> tuple[Category, ...]:
    """The top-level categories in their screen order (sort order, code), at most a minute old."""
    now = time.monotonic()
    with _lock:
        at = _state["at"]
        if at is None or now - float(at) >= _ttl():  # type: ignore[arg-type]
            _state["rows"] = tuple(Category.objects.filter(parent__isnull=True))
            _state["at"] = now
        return _state["rows"]  # type: ignore[return-value]


def top_category_choices() -> list[tuple[int, str]]:
    """``(pk, label)`` of ``top_categories()``, labelled in the active language."""
    return [(c.pk, c.label) for c in top_categories()]


def forget_categories() -> None:
    """Read the table again on the next call (a category changed; a test starts)."""
    with _lock:
        _state["at"] = None
        _state["rows"] = ()


@receiver(post_save, sender=Category, dispatch_uid="lianxin.cases.category_cache.saved")
@receiver(post_delete, sender=Category, dispatch_uid="lianxin.cases.category_cache.deleted")
def _category_changed(**kwargs) -> None:
    forget_categories()
