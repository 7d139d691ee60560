"""The preferences page (one's own) and the delivery log (county admin, scoped, paginated)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditEvent
from lianxin.notifications.models import Delivery, NotificationPreference
from lianxin.notifications.services import notify
from tests.permissions import EVERYONE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(EVERYONE))
def test_everyone_has_their_own_preferences_page(world, login, name):
    r = login(world.users[name]).get(reverse("notifications:preferences"))
    assert r.status_code == 200


def test_preferences_page_needs_login(client):
    r = client.get(reverse("notifications:preferences"))
    assert r.status_code in (302, 403)


def test_saving_preferences_records_sms_consent(world, login, channels):
    user = world.users["resident_a"]
    c = login(user)
    page = c.get(reverse("notifications:preferences")).content.decode()
    assert "139****0001" in page and "13900000001" not in page
    # a kind without an approved SMS template is not offered, and refused if posted
    r = c.post(reverse("notifications:preferences"), {"ch_sms": ["wish_lit"]})
    assert r.status_code == 200 and not NotificationPreference.objects.exists()
    r = c.post(
        reverse("notifications:preferences"),
        {
            "ch_sms": ["case_done"],
            "ch_email": ["case_accept"],
            "quiet_start": "21:30",
            "quiet_end": "07:00",
        },
    )
    assert r.status_code == 302
    pref = NotificationPreference.objects.get(user=user)
    assert pref.kinds_for("sms") == {"case_done"}
    assert pref.kinds_for("email") == {"case_accept"}
    assert pref.sms_consent_at is not None and str(pref.quiet_start) == "21:30:00"
    assert AuditEvent.objects.filter(reason="notification preferences").exists()
    c.post(reverse("notifications:preferences"), {"quiet_start": "", "quiet_end": ""})
    pref.refresh_from_db()
    assert pref.sms_consent_at is None and pref.quiet_start is None  # withdrawn


def test_half_quiet_hours_are_refused(world, login, channels):
    c = login(world.users["resident_a"])
    r = c.post(reverse("notifications:preferences"), {"quiet_start": "22:00", "quiet_end": ""})
    assert r.status_code == 200 and "同时填写" in r.content.decode()
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("name", sorted(EVERYONE))
def test_delivery_log_is_for_the_county_admin(world, login, name):
    r = login(world.users[name]).get(reverse("notifications:deliveries"))
    assert r.status_code == (200 if name == "county_admin" else 403)


def test_delivery_log_is_scoped_and_masked(
    world, login, channels, fake_sms, opt_in, django_capture_on_commit_callbacks
):
    from lianxin.org.models import Membership, Role, UnitKind
    from lianxin.org.services import unit_create

    opt_in(world.users["resident_a"], sms=["case_done"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[world.users["resident_a"]], kind="case_done", title="甲的办结通知")
    # a person in another county: not in this admin's log
    other_county = unit_create(
        code="620523000000",
        name="甘谷县",
        kind=UnitKind.COUNTY,
        parent=world.county.parent,
        division_code="620523000000",
    )
    from tests.conftest import make_user

    outsider = make_user("13900000099", unit=other_county, role=Role.RESIDENT, phone="13900000099")
    assert Membership.objects.filter(user=outsider).exists()
    opt_in(outsider, sms=["case_done"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[outsider], kind="case_done", title="外县的办结通知")
    assert Delivery.objects.count() == 2
    page = (
        login(world.users["county_admin"]).get(reverse("notifications:deliveries")).content.decode()
    )
    assert page.count('data-testid="delivery"') == 1
    assert "139****0001" in page and "13900000001" not in page
    assert "ali-1" in page  # the provider's message id
    assert "13900000099" not in page and "139****0099" not in page
    r = login(world.users["county_admin"]).get(
        reverse("notifications:deliveries") + "?status=bogus&page=x"
    )
    assert r.status_code == 200
