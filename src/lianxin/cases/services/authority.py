"""Who may act on a request: the one place for the 诉求 module's object rules.

Every check of the form "may this user take this step on this request" lives here, as a
plain predicate over (user, case). The services call them before they write (``require``
turns a ``False`` into ``PermissionDenied``), the views read them through ``actions_for``
(which buttons to offer), and ``cases/rules.py`` registers the one of them that is a named
permission (``cases.reveal_reporter``). Nothing else in the module decides who may act.

The rules, in the words of 接诉即办:

- 签收 (``can_accept``): the first receiver who owns it, or staff whose subtree holds the queue.
- 办理 (``can_handle``): the owner, or staff whose subtree holds the handling unit or the queue —
  派单, 转办, 退回, 上报, 合并, 不予受理, 关闭, internal notes.
- the owner alone (``is_owner``) starts, resolves and asks for an extension: the person who
  signed for it answers for it.
- 督办 (``can_supervise``): staff of a unit strictly above the handling unit approve
  extensions and reopen resolved requests; the handling unit never reviews itself.
- 评价 (``may_evaluate``): the reporter, signed in or proving the phone number they left.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from lianxin.cases.models import Case, ExtensionState
from lianxin.cases.services.machine import ALLOWED
from lianxin.core.validators import normalize_phone
from lianxin.org.models import STAFF_ROLES, Membership, Unit, UnitKind
from lianxin.org.scoping import user_scope

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def require(allowed: bool) -> None:
    """Refuse the step (403) when the rule does not allow it."""
    if not allowed:
        raise PermissionDenied(_("您无权办理该诉求。"))


def acting_membership(user: User, unit: Unit | None) -> Membership | None:
    """The user's staff membership closest above ``unit`` (or their main one)."""
    scope = user_scope(user)
    staff = [m for m in scope.memberships if m.role in STAFF_ROLES]
    if unit is not None:
        covering = [m for m in staff if unit.is_under(m.unit)]
        if covering:
            return max(covering, key=lambda m: len(m.unit.path))
    return staff[0] if staff else None


def is_owner(user: User, case: Case) -> bool:
    """The person who signed for the request (a unit's queue is nobody's own)."""
    return case.owner_user_id == user.pk


def can_handle(user: User, case: Case) -> bool:
    """The owner, or staff whose subtree holds the handling unit (or the queue)."""
    if case.owner_user_id is not None and case.owner_user_id == user.pk:
        return True
    scope = user_scope(user)
    return scope.covers(case.unit) or (
        case.owner_unit is not None and scope.covers(case.owner_unit)
    )


def can_accept(user: User, case: Case) -> bool:
    """The first receiver who owns it, or staff whose subtree holds the queue."""
    if case.owner_user_id is not None:
        return case.owner_user_id == user.pk
    return user_scope(user).covers(case.owner_unit)


def can_supervise(user: User, case: Case) -> bool:
    """Staff of a unit strictly above the handling unit (the level that approves and reviews)."""
    return user_scope(user).is_above(case.unit)


def can_reveal_reporter(user: User | AnonymousUser, case: Case | None) -> bool:
    """The handler, the handling unit's staff and the levels above it (``can_handle``),
    staff only: a resident never reveals someone else's number."""
    if not getattr(user, "is_authenticated", False) or case is None:
        return False
    return user_scope(user).is_staff and can_handle(user, case)  # type: ignore[arg-type]


def dispatch_target_ok(actor: User, case: Case, to_unit: Unit) -> bool:
    """Down (inside the actor's subtree) or across (a department, or a sibling unit)."""
    scope = user_scope(actor)
    if scope.covers(to_unit):
        return True
    if to_unit.kind == UnitKind.DEPARTMENT:
        return True
    return case.unit.parent_id is not None and to_unit.parent_id == case.unit.parent_id


def may_evaluate(case: Case, *, user: User | AnonymousUser | None = None, phone: str = "") -> bool:
    """The reporter or a co-reporter (我也遇到, a merged duplicate's): signed in as their
    account, or giving the phone they left."""
    account = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    if account is not None and case.reporter_id == account:
        return True
    # compared as bytes: compare_digest refuses (TypeError) a str with non-ASCII characters
    if phone and secrets.compare_digest(phone.strip().encode(), case.reporter_phone.encode()):
        return True
    others = case.co_reporters.all()
    if account is not None and others.filter(user_id=account).exists():
        return True
    return bool(phone) and others.filter(phone=normalize_phone(phone)).exists()


def actions_for(user: User, case: Case) -> list[str]:
    """The steps ``user`` may take on ``case`` now (drives the buttons; services re-check)."""
    out: list[str] = []
    if not user_scope(user).is_staff and case.owner_user_id != user.pk:
        return out
    handle = can_handle(user, case)
    owner = is_owner(user, case)
    if case.state in ALLOWED["accept"] and can_accept(user, case):
        out.append("accept")
    if case.state in ALLOWED["start"] and owner:
        out.append("start")
    if case.state in ALLOWED["resolve"] and owner:
        out.append("resolve")
    if handle:
        for action in ("dispatch", "transfer", "escalate", "reject", "merge"):
            if case.state in ALLOWED[action]:
                out.append(action)
        if case.state in ALLOWED["send_back"] and not case.sent_back:
            out.append("send_back")
        if case.state in ALLOWED["close"]:
            out.append("close")
        out.append("note")
    if case.state in ALLOWED["extension_request"] and owner and not case.extension_state:
        out.append("extension_request")
    if case.extension_state == ExtensionState.REQUESTED and can_supervise(user, case):
        out.append("extension_decide")
    if case.state in ALLOWED["reopen"] and can_supervise(user, case):
        out.append("reopen")
    return out
