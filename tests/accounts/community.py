"""A village to register in: registration asks for the community (issue 9)."""

from __future__ import annotations


def a_village() -> int:
    """The pk of 东关社区 (城关镇, 武山县), created once per test database."""
    from lianxin.org.models import Unit, UnitKind
    from lianxin.org.services import unit_create

    found = Unit.objects.filter(code="620524100001").first()
    if found:
        return found.pk
    county = Unit.objects.filter(code="620524000000").first() or unit_create(
        code="620524000000",
        name="武山县",
        kind=UnitKind.COUNTY,
        parent=None,
        division_code="620524000000",
    )
    town = unit_create(
        code="620524100000",
        name="城关镇",
        kind=UnitKind.TOWN,
        parent=county,
        division_code="620524100000",
    )
    village = unit_create(
        code="620524100001",
        name="东关社区",
        kind=UnitKind.COMMUNITY,
        parent=town,
        division_code="620524100001",
    )
    return village.pk
