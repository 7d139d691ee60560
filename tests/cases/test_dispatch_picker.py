"""Issue 9 item 4: the 派单/转办 target on the request panel and the bulk-dispatch menu are
grouped by town with unique labels (they were a flat list of unit names, repeated names and all)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.org.models import UnitKind
from lianxin.org.services import unit_create
from tests.cases.factories import make_case
from tests.org.test_pickers import _SelectParser

pytestmark = pytest.mark.django_db


def _twin(world):
    """A second 东关社区, in 洛门镇."""
    unit_create(
        code="620524101202",
        name="东关社区",
        kind=UnitKind.COMMUNITY,
        parent=world.town_b,
        division_code="620524101202",
    )


def _assert_grouped(parser):
    groups = dict(parser.groups)
    assert "城关镇" in groups and "洛门镇" in groups, parser.groups
    labels = [label for opts in groups.values() for label in opts]
    assert len(labels) == len(set(labels)), labels
    assert "东关社区（洛门镇）" in groups["洛门镇"] and "东关社区（城关镇）" in groups["城关镇"]


def test_case_panel_dispatch_target_is_grouped_and_filterable(world, login):
    _twin(world)
    case = make_case(world)
    html = (
        login(world.users["county_admin"])
        .get(reverse("cases:case_detail", args=[case.pk]))
        .content.decode()
    )
    parser = _SelectParser("to_unit")
    parser.feed(html)
    assert parser.attrs.get("data-unit-picker") == "1" and parser.attrs.get("data-filter-label")
    _assert_grouped(parser)


def test_bulk_dispatch_menu_is_grouped(world, login):
    _twin(world)
    html = (
        login(world.users["county_admin"]).get(reverse("cases:dispatch_options")).content.decode()
    )
    parser = _SelectParser("to_unit")
    parser.feed(f'<select name="to_unit">{html}</select>')
    assert parser.loose == ["请选择单位"]
    _assert_grouped(parser)
