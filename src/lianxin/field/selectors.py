"""Reads of the offline app: what a grid worker's phone keeps for a day without signal.

Only the grids the user works in with a visiting role (``org.scoping`` through the visits'
role list), phones masked (``core.masking``): the copy on the phone is what the today page
shows, plus the open requests of those grids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch

from lianxin.cases.models import Case
from lianxin.cases.selectors import category_choices
from lianxin.core.masking import mask_name, mask_phone
from lianxin.org.scoping import scope_queryset_for_roles
from lianxin.people.models import Household, Person
from lianxin.visits.models import NEED_TAGS, VisitKind
from lianxin.visits.rules import VISIT_ROLES

if TYPE_CHECKING:
    from lianxin.accounts.models import User

MAX_HOUSEHOLDS = 1000
MAX_CASES = 300


def field_households(user: User) -> list[dict[str, Any]]:
    """The households of the user's own grids (as grid worker or staff), phones masked."""
    qs = scope_queryset_for_roles(Household.objects.all(), user, VISIT_ROLES, fields=("grid",))
    members = Prefetch("members", queryset=Person.objects.order_by("id"), to_attr="field_members")
    rows: list[dict[str, Any]] = []
    for h in (
        qs.select_related("grid").prefetch_related(members).order_by("number")[:MAX_HOUSEHOLDS]
    ):
        people = h.field_members  # type: ignore[attr-defined]
        head = next((p for p in people if p.relation == "户主"), people[0] if people else None)
        rows.append(
            {
                "id": h.pk,
                "number": h.number,
                "address": h.address,
                "grid": h.grid.name,
                "tags": list(h.tags or []),
                "head": mask_name(head.name) if head else "",
                "phone": mask_phone(head.phone) if head else "",
            }
        )
    return rows


def field_open_cases(user: User) -> list[dict[str, Any]]:
    """Open requests located in the user's own grids (and visible to the user)."""
    qs = scope_queryset_for_roles(
        Case.objects.visible_to(user).open(), user, VISIT_ROLES, fields=("grid",)
    )
    return [
        {
            "id": c.pk,
            "code": c.code,
            "title": c.title,
            "state": str(c.get_state_display()),
            "grid": c.grid.name,
            "created": c.created_at.date().isoformat(),
        }
        for c in qs.select_related("grid").order_by("-created_at", "-id")[:MAX_CASES]
    ]


def field_data(user: User) -> dict[str, Any]:
    """Everything the offline page renders: households, open requests and the form choices."""
    return {
        "households": field_households(user),
        "cases": field_open_cases(user),
        "kinds": [[value, str(label)] for value, label in VisitKind.choices],
        "needs": list(NEED_TAGS),
        "categories": [[c.pk, str(c)] for c in category_choices()],
    }
