"""``ScopedQuerySet``: the base of every "staff see their subtrees" QuerySet.

Kept apart from ``org.scoping`` (which imports the org models) so ``org.models`` itself can
build on it; import it from ``lianxin.org.scoping`` everywhere else.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models


class ScopedQuerySet(models.QuerySet):
    """Name the unit lookups once; ``visible_to(user)`` is ``org.scoping.scope_queryset``.

    ``scope_fields`` are foreign keys to ``Unit`` (``""`` for ``Unit`` itself); a row is
    visible when any of them lies in a subtree of the user. Subclasses may set
    ``scope_ancestors = True`` (rows at or above the user's units are visible too) or
    ``scope_strategy = "ids"`` (unit ids on PostgreSQL, see ``scope_queryset``).
    """

    scope_fields: tuple[str, ...] = ("unit",)
    scope_ancestors: bool = False
    scope_strategy: str = "paths"

    def visible_to(self, user: Any) -> Self:
        from lianxin.org.scoping import scope_queryset

        return scope_queryset(
            self,
            user,
            fields=self.scope_fields,
            ancestors=self.scope_ancestors,
            strategy=self.scope_strategy,
        )
