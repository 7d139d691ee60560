"""Moving open requests to another grid when grid boundaries are redrawn (grids' re-assignment).

Rule: a request is counted under the grid it lies in (``Case.grid``, also its village and town),
so a redrawn boundary moves the open requests whose point now falls elsewhere; each move is
locked, saved through ``_save`` (the rates rollup of the old and the new key kept right in the
same transaction) and leaves an internal timeline note. Closed requests keep the grid they were
handled in (history is not rewritten). The handling unit and owner are not changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.cases.models import OPEN_STATES, Case, EventKind
from lianxin.cases.services.common import _event, _lock, _save
from lianxin.cases.services.intake import _grid_context
from lianxin.org.models import Unit

if TYPE_CHECKING:
    from lianxin.accounts.models import User


@transaction.atomic
def case_regrid(*, case: Case, actor: User, to_grid: Unit) -> bool:
    """Put an open request in ``to_grid`` (and its village and town); False when it is closed
    meanwhile or already there. The rollup follows (``stats_sync`` through ``_save``)."""
    case = _lock(case)
    if case.state not in OPEN_STATES or case.grid_id == to_grid.pk:
        return False
    from_grid = case.grid
    town, village = _grid_context(to_grid)
    case.grid = to_grid
    case.town = town
    case.village = village
    _save(case)
    _event(
        case,
        EventKind.NOTE,
        actor=actor,
        note=_("网格边界调整：由“%(a)s”划入“%(b)s”。") % {"a": from_grid.name, "b": to_grid.name},
        is_public=False,
    )
    return True
