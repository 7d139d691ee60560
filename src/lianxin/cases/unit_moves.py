"""Requests follow a moved unit: ``org.signals.unit_moved`` receiver.

Rule: a request's ``town``/``village`` (and its rollup rows' ``CaseStat.town``/``village``) are
those of its grid (``Case.grid``); when a unit moves, the requests and rollup rows located in
its subtree get the town and village of their grid's new place, one UPDATE per (town, village)
pair, in the move's transaction. The rollup keys (month, grid, unit, category, handler) do not
change, so no counter is recomputed.
"""

from __future__ import annotations

from collections import defaultdict

from django.dispatch import receiver

from lianxin.cases.models import Case, CaseStat
from lianxin.org.models import Unit
from lianxin.org.signals import unit_moved
from lianxin.org.tree import subtree_context


@receiver(unit_moved, dispatch_uid="cases.unit_moves")
def cases_follow_unit_move(sender, *, unit: Unit, old_path: str, new_path: str, **kwargs) -> None:
    groups: dict[tuple[int | None, int | None], list[int]] = defaultdict(list)
    for pk, place in subtree_context(unit).items():
        groups[place].append(pk)
    for (town, village), ids in groups.items():
        for model in (Case, CaseStat):
            model.objects.filter(grid_id__in=ids).update(town_id=town, village_id=village)
