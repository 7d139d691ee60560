"""What core asks of org goes through registrations, not imports (ADR 0005 "Layers")."""

import pytest

pytestmark = pytest.mark.django_db


def test_core_spreadsheets_asks_org_for_the_scope_label(world, django_user_model):
    from lianxin.core.spreadsheets import scope_label

    assert scope_label(world.users["town_a"]) == "城关镇"
    assert scope_label(world.users["county_admin"]) == "武山县"
    assert scope_label(world.users["resident_a"]) == ""
    root = django_user_model.objects.create_superuser("root", password="x")
    assert scope_label(root) == "全部"


def test_the_scope_context_processor_is_orgs(settings):
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    assert "lianxin.org.context_processors.lianxin" in processors
    assert not any(p.startswith("lianxin.core.context_processors") for p in processors)


def test_the_people_panels_come_from_people(rf, world):
    from lianxin.org.home import home_panels as org_panels
    from lianxin.people.home import home_panels as people_panels

    request = rf.get("/")
    request.user = world.users["town_a"]
    titles = [p["title"] for p in people_panels(request)]
    assert "我的管辖范围" in titles
    assert all(p["title"] != "我的管辖范围" for p in org_panels(request))
