"""对接管理 per role: only the county admin manages integrations, and only inside the county;
the screens answer as the permission says (the sibling-subtree walk is tests/core)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.integrations.models import ApiToken, Integration
from tests.integrations.factories import make_token
from tests.permissions import EVERYONE, assert_granted_exactly

pytestmark = pytest.mark.django_db

EXPECTED = {"integrations.manage_integration": {"county_admin"}}


def test_every_named_permission_has_a_row():
    import rules

    named = {n for n in rules.permissions.permissions if n.startswith("integrations.")}
    assert named == set(EXPECTED)


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def test_on_a_unit_only_the_admin_whose_county_covers_it(world):
    from lianxin.org.models import UnitKind
    from lianxin.org.services import unit_create
    from tests.conftest import make_user

    other = unit_create(
        code="620525000000",
        name="甘谷县",
        kind=UnitKind.COUNTY,
        parent=world.county.parent,
        division_code="620525000000",
    )
    world.users["other_admin"] = make_user("other_admin", unit=other, role="county_admin")
    assert_granted_exactly(
        world, "integrations.manage_integration", {"county_admin"}, obj=world.town_a
    )
    assert_granted_exactly(world, "integrations.manage_integration", {"other_admin"}, obj=other)


@pytest.mark.parametrize("name", sorted(EVERYONE - {"county_admin"}))
def test_screens_refuse_every_other_role(world, client, login, name):
    _raw, token = make_token(world.town_a, ["cases.view_case"])
    c = login(world.users[name])
    assert c.get(reverse("integrations:list")).status_code == 403
    assert c.get(reverse("integrations:create")).status_code == 403
    assert (
        c.get(reverse("integrations:token_create", args=[token.integration_id])).status_code == 403
    )
    assert c.post(reverse("integrations:token_revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_county_admin_creates_sees_once_and_revokes(world, client, login):
    c = login(world.users["county_admin"])
    r = c.post(reverse("integrations:create"), {"name": "12345热线", "unit": world.town_a.pk})
    assert r.status_code == 302, r.content.decode()[:2000]
    integration = Integration.objects.get()
    assert integration.unit == world.town_a
    assert not integration.service_user.has_usable_password()
    url = reverse("integrations:token_create", args=[integration.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"permissions": ["cases.view_case", "cases.enter_case"], "days": "30"})
    assert r.status_code == 200
    token = ApiToken.objects.get()
    page = r.content.decode()
    raw = page.split('data-testid="raw-token"')[0].rsplit('value="', 1)[1].split('"', 1)[0]
    assert raw.startswith("lx_" + token.prefix) and len(raw) == 51
    assert "no-store" in r["Cache-Control"]
    assert token.permissions == ["cases.enter_case", "cases.view_case"]
    # The list shows the prefix, never the secret again.
    listing = c.get(reverse("integrations:list")).content.decode()
    assert token.display_prefix in listing and raw not in listing
    assert raw not in c.get(url).content.decode()
    r = c.post(reverse("integrations:token_revoke", args=[token.pk]))
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.state == "revoked"
    assert "已撤销" in c.get(reverse("integrations:list")).content.decode()


def test_token_form_refuses_too_long_and_unknown(world, client, login):
    _raw, token = make_token(world.town_a, ["cases.view_case"])
    c = login(world.users["county_admin"])
    url = reverse("integrations:token_create", args=[token.integration_id])
    r = c.post(url, {"permissions": ["cases.view_case"], "days": "9999"})
    assert r.status_code == 200 and "最长" in r.content.decode()
    r = c.post(url, {"permissions": ["org.manage_staff"], "days": "30"})
    assert r.status_code == 200
    assert ApiToken.objects.count() == 1


def test_unit_choices_stay_in_the_admins_county(world, client, login):
    from lianxin.integrations.forms import IntegrationForm

    form = IntegrationForm(user=world.users["county_admin"])
    units = set(form.fields["unit"].queryset)
    assert world.town_a in units and world.county in units
    assert world.county.parent not in units
