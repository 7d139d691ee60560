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


def _pending_claim(w):
    """A resident of town A whose community (东关社区) awaits confirmation."""
    from lianxin.accounts.models import User
    from lianxin.org.models import ResidenceClaim

    user, _ = User.objects.get_or_create(username="13900000077", defaults={"phone": "13900000077"})
    claim, _ = ResidenceClaim.objects.get_or_create(
        user=user, defaults={"unit": w.village_a, "chosen_unit": w.village_a}
    )
    return {"pk": claim.pk}


ROUTE_KWARGS["org:residence_confirm"] = _pending_claim
ROUTE_KWARGS["org:residence_correct"] = _pending_claim


def _tree_unit(w):
    """A micro-grid of town A to rename, close and move on the route walk."""
    from lianxin.org.models import Unit, UnitKind
    from lianxin.org.services import unit_create

    unit = Unit.objects.filter(code="620524100001-G01-M99").first() or unit_create(
        code="620524100001-G01-M99", name="东关1号楼", kind=UnitKind.MICRO_GRID, parent=w.grid_a1
    )
    return {"code": unit.code}


def _alliance(w):
    from lianxin.org.models import AllianceMember, Unit, UnitKind
    from lianxin.org.services import unit_create

    unit = Unit.objects.filter(code="620524100000-L99").first() or unit_create(
        code="620524100000-L99", name="城关党建联合体", kind=UnitKind.ALLIANCE, parent=w.town_a
    )
    row, _ = AllianceMember.objects.get_or_create(alliance=unit, member=w.village_a)
    return unit, row


ROUTE_KWARGS["org:unit_new"] = lambda w: {"code": w.grid_a1.code}
ROUTE_KWARGS["org:unit_rename"] = _tree_unit
ROUTE_KWARGS["org:unit_close"] = _tree_unit
ROUTE_KWARGS["org:unit_move"] = _tree_unit
ROUTE_KWARGS["org:alliance_member_add"] = lambda w: {"code": _alliance(w)[0].code}
ROUTE_KWARGS["org:alliance_member_remove"] = lambda w: {
    "code": _alliance(w)[0].code,
    "pk": _alliance(w)[1].pk,
}
