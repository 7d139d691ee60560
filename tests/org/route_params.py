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
