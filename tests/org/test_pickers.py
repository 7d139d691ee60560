"""Issue 9 item 4: village pickers are grouped by town, ordered, with unique option labels."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from lianxin.org.models import UnitKind
from lianxin.org.pickers import grouped_unit_choices, unit_groups
from lianxin.org.services import unit_create

pytestmark = pytest.mark.django_db


class _SelectParser(HTMLParser):
    """The optgroups (label → option labels) of one <select name=...>."""

    def __init__(self, name: str):
        super().__init__()
        self.name, self.inside, self.group, self.option = name, False, None, None
        self.groups: list[tuple[str, list[str]]] = []
        self.loose: list[str] = []
        self.attrs: dict = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select" and attrs.get("name") == self.name:
            self.inside, self.attrs = True, attrs
        elif self.inside and tag == "optgroup":
            self.group = (attrs["label"], [])
            self.groups.append(self.group)
        elif self.inside and tag == "option":
            self.option = ""

    def handle_data(self, data):
        if self.option is not None:
            self.option += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False
        elif tag == "optgroup":
            self.group = None
        elif tag == "option" and self.option is not None:
            (self.group[1] if self.group else self.loose).append(self.option.strip())
            self.option = None


def _twin_villages(world):
    """A second 东关社区 in 洛门镇 and a second 张家村 in 洛门镇 (same town, same name)."""
    unit_create(
        code="620524101202",
        name="东关社区",
        kind=UnitKind.COMMUNITY,
        parent=world.town_b,
        division_code="620524101202",
    )
    unit_create(
        code="620524101203",
        name="张家村",
        kind=UnitKind.VILLAGE,
        parent=world.town_b,
        division_code="620524101203",
    )


def test_public_intake_groups_villages_by_town_with_unique_labels(client, world):
    _twin_villages(world)
    html = client.get(reverse("cases:intake")).content.decode()
    parser = _SelectParser("village")
    parser.feed(html)
    assert parser.attrs.get("data-unit-picker") and parser.attrs.get("hx-get") == reverse(
        "cases:grid_options"
    )
    assert [g for g, _opts in parser.groups] == ["城关镇", "洛门镇"]
    labels = [label for _g, opts in parser.groups for label in opts]
    assert len(labels) == 4 and len(set(labels)) == len(labels)
    town_b = dict(parser.groups)["洛门镇"]
    assert "东关社区（洛门镇）" in town_b and "东关社区（城关镇）" in dict(parser.groups)["城关镇"]
    assert parser.loose == ["请选择"]  # only the empty choice outside the groups


def test_intake_keeps_the_chosen_village_and_its_grids_on_error(client, world):
    response = client.post(reverse("cases:intake"), {"village": world.village_b.pk, "title": "x"})
    assert response.status_code == 422
    html = response.content.decode()
    assert f'<option value="{world.village_b.pk}" selected>' in html


def test_groups_cover_units_at_every_level_and_order_by_town(world):
    groups = unit_groups(
        [world.grid_b1, world.village_a, world.department, world.town_a, world.grid_a1]
    )
    assert [g for g, _items in groups] == ["武山县", "城关镇", "洛门镇"]
    labels = {u.code: label for _g, items in groups for u, label in items}
    assert labels[world.grid_a1.code] == "东关社区 · 东关第1网格"
    assert labels[world.town_a.code] == "城关镇"
    assert labels[world.department.code] == "县住建局"
    choices = grouped_unit_choices([world.village_b])
    assert choices == [("洛门镇", [(world.village_b.pk, "张家村")])]


def test_staff_venue_form_uses_the_grouped_picker(client, world):
    from lianxin.org.models import Unit
    from lianxin.venues.forms import VenueCreateForm

    form = VenueCreateForm(
        units=Unit.objects.filter(pk__in=[world.village_a.pk, world.village_b.pk])
    )
    html = str(form["unit"])
    assert '<optgroup label="城关镇">' in html and '<optgroup label="洛门镇">' in html
