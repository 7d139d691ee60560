"""Reads of 对接管理, scoped to the caller through ``org.scoping``.

* A county admin sees the integrations whose unit lies in their subtrees (and those tokens).
* The permissions a token may carry are the named permissions the apps register with
  django-rules, minus the ones that administer people, the tree, the audit trail and the
  integrations themselves: a token acts on the work, never on who may do it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import QuerySet

from lianxin.integrations.models import ApiToken, Integration, IntegrationCase
from lianxin.org.scoping import scope_queryset

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.cases.models import Case

# Never grantable to a token: administration of rights, structure, audit and integrations,
# anonymous tip-offs, and unmasking personal data (which needs a person's stated reason).
EXCLUDED_APPS = frozenset({"integrations", "accounts", "audit", "webhooks", "tipoffs"})
EXCLUDED_PERMISSIONS = frozenset(
    {
        "org.manage_staff",
        "org.manage_unit",
        "org.add_unit",
        "org.change_unit",
        "org.confirm_residence",
        "grids.manage_staff",
    }
)


def token_permission_names() -> frozenset[str]:
    """Every ``app.codename`` registered with ``rules.add_perm`` that a token may carry."""
    return frozenset(
        name
        for name in rules.permissions.permissions
        if "." in name
        and name.split(".", 1)[0] not in EXCLUDED_APPS
        and name not in EXCLUDED_PERMISSIONS
        and not name.split(".", 1)[1].startswith("reveal_")  # full ID/phone: a person's reason
    )


def token_permission_choices() -> list[tuple[str, list[str]]]:
    """The grantable permissions grouped by app label, sorted: ``[(app, [perm, ...]), ...]``."""
    groups: dict[str, list[str]] = {}
    for name in sorted(token_permission_names()):
        groups.setdefault(name.split(".", 1)[0], []).append(name)
    return sorted(groups.items())


def integrations_visible_to(user: User) -> QuerySet[Integration]:
    """The integrations whose unit lies in the user's staff subtrees."""
    qs = Integration.objects.select_related("unit", "service_user", "created_by")
    return scope_queryset(qs, user).order_by("name", "id")


def integration_get(user: User, pk: int) -> Integration:
    """One integration in the user's scope (``Integration.DoesNotExist`` otherwise: a 404)."""
    return integrations_visible_to(user).get(pk=pk)


def tokens_of(integration: Integration) -> QuerySet[ApiToken]:
    return integration.tokens.select_related("created_by", "revoked_by").order_by(
        "-created_at", "-id"
    )


def token_get(user: User, pk: int) -> ApiToken:
    """One token of an integration in the user's scope (``ApiToken.DoesNotExist`` otherwise)."""
    return ApiToken.objects.select_related("integration__unit").get(
        pk=pk, integration__in=integrations_visible_to(user)
    )


def integration_of_case(case: Case) -> Integration | None:
    """The integration a request came in through, or ``None`` (a resident's, a clerk's)."""
    origin = (
        IntegrationCase.objects.select_related("integration", "integration__unit")
        .filter(case_id=case.pk)
        .first()
    )
    return origin.integration if origin is not None else None
