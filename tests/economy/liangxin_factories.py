"""两新组织 and 党建联合体 fixtures over the shared world (town A 城关镇, town B 洛门镇)."""

from __future__ import annotations

from lianxin.org.models import AllianceMember, PartyOrgForm, Unit, UnitKind
from lianxin.org.services import unit_create


def liangxin(parent: Unit, code: str, name: str, kind=UnitKind.ENTERPRISE, form=None, **fields):
    """An enterprise (or social organisation) under ``parent``, with a party organisation
    belonging to it when ``form`` is given."""
    unit = unit_create(code=code, name=name, kind=kind, parent=parent, **fields)
    if form is not None:
        unit_create(
            code=f"{code}-P01",
            name=f"{name}党支部",
            kind=UnitKind.PARTY_ORG,
            parent=unit,
            belongs_to=unit,
            party_org_form=form,
        )
    return unit


def liangxin_world(world) -> dict[str, Unit]:
    """Town A: two enterprises (one covered, single) and a social organisation (functional);
    town B: an enterprise (joint) and an uncovered social organisation; the county: an
    uncovered enterprise (县直)."""
    a, b = world.town_a, world.town_b
    return {
        "a_covered": liangxin(a, "620524100000-E01", "渭水建材公司", form=PartyOrgForm.SINGLE),
        "a_bare": liangxin(world.village_a, "620524100001-E01", "惠民超市", phone="13912345678"),
        "a_social": liangxin(
            a, "620524100000-S01", "义工联合会", UnitKind.SOCIAL_ORG, PartyOrgForm.FUNCTIONAL
        ),
        "b_joint": liangxin(b, "620524101000-E01", "蔬菜合作社", form=PartyOrgForm.JOINT),
        "b_social": liangxin(b, "620524101000-S01", "洛门老年协会", UnitKind.SOCIAL_ORG),
        "county_bare": liangxin(world.county, "620524000000-E01", "县直物流公司"),
    }


def alliance(parent: Unit, code: str, name: str, members: list[Unit]) -> Unit:
    unit = unit_create(code=code, name=name, kind=UnitKind.ALLIANCE, parent=parent)
    AllianceMember.objects.bulk_create([AllianceMember(alliance=unit, member=m) for m in members])
    return unit
