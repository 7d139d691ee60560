"""Issue 9 item 4: a self-registered resident's community is pending until a clerk of that
village (or above) confirms or corrects it; then the resident's home area is that village."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.org.models import Membership, ResidenceClaim, ResidenceStatus, Role
from lianxin.org.residence import pending_claims, residence_claim_confirm, residence_claim_create
from lianxin.org.scoping import forget_scope, home_units
from tests.conftest import make_user
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def _newcomer(world, village=None):
    user = make_user("13900000055", phone="13900000055", name="新居民")
    return user, residence_claim_create(user=user, unit=village or world.village_a)


def test_pending_claim_gives_no_home_area(world):
    user, claim = _newcomer(world)
    assert claim.status == ResidenceStatus.PENDING and claim.chosen_unit == world.village_a
    assert home_units(user) == []
    assert not Membership.objects.filter(user=user).exists()


def test_only_clerks_of_the_village_or_above_see_the_pending_resident(world):
    _user, claim = _newcomer(world)
    for name in ("village_a", "town_a", "county_admin"):
        assert list(pending_claims(user=world.users[name])) == [claim], name
    for name in ("village_b", "town_b", "grid_a1", "dept", "resident_a"):
        assert list(pending_claims(user=world.users[name])) == [], name


def test_clerk_of_another_town_can_neither_see_nor_confirm(client, world):
    user, claim = _newcomer(world)
    with pytest.raises(PermissionDenied):
        residence_claim_confirm(claim=claim, actor=world.users["town_b"])
    with pytest.raises(PermissionDenied):
        residence_claim_confirm(
            claim=claim, actor=world.users["grid_a1"]
        )  # a grid worker is no clerk
    client.force_login(world.users["town_b"])
    listing = client.get(reverse("org:residence_list"))
    assert listing.status_code == 200 and "新居民" not in listing.content.decode()
    assert client.post(reverse("org:residence_confirm", args=[claim.pk])).status_code == 404
    assert client.get(reverse("org:residence_correct", args=[claim.pk])).status_code == 404
    claim.refresh_from_db()
    assert claim.status == ResidenceStatus.PENDING and home_units(user) == []


def test_village_clerk_confirms_and_the_resident_sees_their_village(client, world):
    user, claim = _newcomer(world)
    event = make_event(world)  # 东关社区村晚, held by village A
    client.force_login(user)
    assert client.get(reverse("events:event_detail", args=[event.pk])).status_code == 404
    home = client.get(reverse("core:home")).content.decode()
    assert "待确认" in home and "城关镇 · 东关社区" in home

    staff = client.__class__()
    staff.force_login(world.users["village_a"])
    listing = staff.get(reverse("org:residence_list")).content.decode()
    assert "新居民" in listing and "139****0055" in listing and "13900000055" not in listing
    assert staff.post(reverse("org:residence_confirm", args=[claim.pk])).status_code == 302

    claim.refresh_from_db()
    assert (
        claim.status == ResidenceStatus.CONFIRMED and claim.decided_by == world.users["village_a"]
    )
    assert Membership.objects.get(user=user).unit == world.village_a
    assert Membership.objects.get(user=user).role == Role.RESIDENT
    forget_scope(user)
    assert home_units(user) == [world.village_a]
    assert client.get(reverse("events:event_detail", args=[event.pk])).status_code == 200
    assert "待确认" not in client.get(reverse("core:home")).content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE,
        actor=world.users["village_a"],
        reason__startswith="residence confirmed",
    ).exists()
    # Decided once: a second confirmation is refused, the claim is no longer listed.
    assert staff.post(reverse("org:residence_confirm", args=[claim.pk])).status_code == 404
    with pytest.raises(ValidationError):
        residence_claim_confirm(claim=claim, actor=world.users["county_admin"])


def test_town_clerk_corrects_to_a_village_of_their_own_area_only(client, world):
    from lianxin.org.models import UnitKind
    from lianxin.org.services import unit_create

    west = unit_create(
        code="620524100002",
        name="西关社区",
        kind=UnitKind.COMMUNITY,
        parent=world.town_a,
        division_code="620524100002",
    )
    user, claim = _newcomer(world)
    client.force_login(world.users["town_a"])
    page = client.get(reverse("org:residence_correct", args=[claim.pk])).content.decode()
    assert "西关社区" in page and "张家村" not in page  # only villages of the clerk's town
    refused = client.post(
        reverse("org:residence_correct", args=[claim.pk]), {"unit": world.village_b.pk}
    )
    assert refused.status_code == 422
    with pytest.raises(ValidationError):
        residence_claim_confirm(claim=claim, actor=world.users["town_a"], unit=world.village_b)
    done = client.post(reverse("org:residence_correct", args=[claim.pk]), {"unit": west.pk})
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.unit == west and claim.chosen_unit == world.village_a
    assert claim.status == ResidenceStatus.CONFIRMED
    forget_scope(user)
    assert home_units(user) == [west]
    row = AuditEvent.objects.get(action=AuditAction.UPDATE, actor=world.users["town_a"])
    assert row.reason == f"residence corrected {world.village_a.code} -> {west.code}"


def test_village_clerk_cannot_move_a_resident_to_another_village(world):
    _user, claim = _newcomer(world)
    with pytest.raises(ValidationError):
        residence_claim_confirm(claim=claim, actor=world.users["village_a"], unit=world.village_b)
    assert ResidenceClaim.objects.get(pk=claim.pk).status == ResidenceStatus.PENDING


def test_residents_list_needs_a_clerk_role_and_has_an_empty_state(client, world):
    client.force_login(world.users["resident_a"])
    assert client.get(reverse("org:residence_list")).status_code == 403
    client.force_login(world.users["village_a"])
    page = client.get(reverse("org:residence_list")).content.decode()
    assert "没有待确认的居民" in page


def test_clerk_home_counts_pending_residents(client, world):
    _newcomer(world)
    client.force_login(world.users["village_a"])
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("org:residence_list") in home and "待确认居民" in home
