"""What every events write service checks first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lianxin.org.models import Unit
from lianxin.org.scoping import require_covers

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def require_staff_over(actor: User, unit: Unit, perm: str) -> None:
    """Staff act only on units in their own subtree; anyone else gets 403 (``perm`` named)."""
    require_covers(actor, unit, message=perm)
