"""URL kwargs of 对接管理: an integration of town A and its token (the county admin's to manage;
town B's staff, the department and residents are refused)."""

from __future__ import annotations


def _token(w):
    from tests.integrations.factories import make_token

    if not hasattr(w, "_integration_token"):
        w._integration_token = make_token(w.town_a, ["cases.view_case"], name="城关镇对接金丝雀")[1]
    return w._integration_token


ROUTE_KWARGS = {
    "integrations:token_create": lambda w: {"pk": _token(w).integration_id},
    "integrations:token_revoke": lambda w: {"pk": _token(w).pk},
}
ROUTE_OWNERS = dict.fromkeys(ROUTE_KWARGS, "county_admin")


def CANARIES(w):  # noqa: N802 (the name the route walk looks for)
    from lianxin.integrations.models import Integration

    return list(Integration.objects.filter(unit=w.town_a).values_list("name", flat=True))
