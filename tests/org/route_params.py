ROUTE_KWARGS = {
    "org:unit_detail": lambda w: {"code": w.village_a.code},
    "api:org_unit": lambda w: {"code": w.grid_a1.code},
}


def CANARIES(w):  # noqa: N802
    return [w.village_a.name, w.grid_a1.name, w.town_a.name, w.party_org_a.name]


def _membership(w):
    from lianxin.org.models import Membership

    return {"pk": Membership.objects.get(user=w.users["village_a"]).pk}


ROUTE_KWARGS["org:staff_end"] = _membership
