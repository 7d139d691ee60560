"""The resident home card's 我要反映 is a real button (a touch target), not a text link."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _report_links(body: str) -> list[str]:
    href = re.escape(reverse("cases:intake"))
    return re.findall(rf'<a [^>]*href="{href}"[^>]*>', body)


def test_resident_without_requests_gets_a_button(world, client, login):
    login(world.users["resident_a"])
    body = client.get(reverse("core:home")).content.decode()
    main = body.split("<main", 1)[-1]
    links = [a for a in _report_links(main) if 'data-testid="panel-action"' in a]
    assert links, "the home card has no 我要反映 action"
    assert all("btn btn-primary" in a and "btn-lg" in a for a in links)
    assert "我要反映</a>" in main


def test_resident_with_requests_gets_the_button_too(world, client, login):
    from tests.cases.factories import make_case

    case = make_case(world)
    login(world.users["resident_a"])
    main = client.get(reverse("core:home")).content.decode().split("<main", 1)[-1]
    assert case.title in main
    assert any(
        "btn btn-primary" in a for a in _report_links(main) if 'data-testid="panel-action"' in a
    )


def test_staff_home_has_no_resident_button(world, client, login):
    login(world.users["village_a"])
    main = client.get(reverse("core:home")).content.decode().split("<main", 1)[-1]
    assert not [a for a in _report_links(main) if 'data-testid="panel-action"' in a]
