"""Desk sign-up (issue 9 item 4): a clerk signs a person up for an event from the roster,
choosing a person in their scope, under the same capacity and waiting-list rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lianxin.audit.models import AuditEvent
from lianxin.events import services
from lianxin.events.desk_signup import desk_people, desk_register
from lianxin.events.models import Audience, Registration, RegistrationStatus
from lianxin.people.models import Person
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def elder(world):
    """An elder of town A without a phone or an account."""
    return Person.objects.create(
        name="王奶奶",
        gender="F",
        id_number="620524194003030026",
        household=world.households["a"],
        relation="母亲",
        unit=world.grid_a1,
    )


def test_desk_sign_up_fills_a_seat_and_is_audited(world, elder):
    event = make_event(world, capacity=2)
    reg = desk_register(actor=world.users["village_a"], event=event, person=elder)
    assert reg.status == RegistrationStatus.CONFIRMED and reg.person == elder and reg.user is None
    assert AuditEvent.objects.filter(actor=world.users["village_a"], reason="desk sign-up").exists()
    # A person with an account is signed up under it too, so they see their place on their phone.
    reg2 = desk_register(actor=world.users["village_a"], event=event, person=world.persons["a"])
    assert reg2.user == world.users["resident_a"] and reg2.status == RegistrationStatus.CONFIRMED


def test_desk_sign_up_when_full_goes_to_waiting_list_and_is_promoted(world, elder):
    event = make_event(world, capacity=1)
    first = services.registration_create(actor=world.users["party_a"], event=event)
    reg = desk_register(actor=world.users["village_a"], event=event, person=elder)
    assert reg.status == RegistrationStatus.WAITLISTED
    services.registration_cancel(actor=world.users["party_a"], registration=first)
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.CONFIRMED


def test_person_outside_scope_refused(world):
    event = make_event(world, capacity=5, actor=world.users["town_a"], unit=world.town_a)
    with pytest.raises(PermissionDenied):
        desk_register(
            actor=world.users["town_a"], event=event, person=world.persons["b"]
        )  # town B's
    assert not Registration.objects.exists()
    # Nor may town B's clerk sign anybody up for town A's event.
    with pytest.raises(PermissionDenied):
        desk_register(actor=world.users["town_b"], event=event, person=world.persons["b"])


def test_duplicate_refused_with_a_message(world, elder):
    event = make_event(world, capacity=5)
    desk_register(actor=world.users["village_a"], event=event, person=elder)
    with pytest.raises(ValidationError, match="王奶奶 已经报过名了"):
        desk_register(actor=world.users["village_a"], event=event, person=elder)
    # Someone who signed up on their own phone is not signed up a second time at the desk.
    services.registration_create(actor=world.users["resident_a"], event=event)
    with pytest.raises(ValidationError, match="已经报过名了"):
        desk_register(actor=world.users["village_a"], event=event, person=world.persons["a"])
    assert event.registrations.count() == 2


def test_closed_event_and_audience_refused(world, elder):
    event = make_event(world, capacity=5)
    services.event_cancel(actor=world.users["village_a"], event=event, reason="下雨")
    with pytest.raises(ValidationError, match="已结束或已取消"):
        desk_register(actor=world.users["village_a"], event=event, person=elder)
    party_day = make_event(world, audience=Audience.PARTY_MEMBERS, title="主题党日")
    with pytest.raises(ValidationError, match="不面向"):
        desk_register(actor=world.users["village_a"], event=party_day, person=elder)
    assert desk_register(
        actor=world.users["village_a"], event=party_day, person=world.persons["party_a"]
    )


def test_search_is_scoped_and_masked(world, elder, client, login):
    assert desk_people(actor=world.users["town_a"], q="金丝雀") == [world.persons["a"]]
    assert desk_people(actor=world.users["town_a"], q="620524194003030026") == [elder]
    event = make_event(world, capacity=5)
    login(world.users["village_a"])
    body = client.get(
        reverse("events:desk_search", args=[event.pk]), {"q": "奶奶"}
    ).content.decode()
    assert "王奶奶" in body and "6205**********0026" in body and "620524194003030026" not in body
    body = client.get(
        reverse("events:desk_search", args=[event.pk]), {"q": "金丝雀"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "甲金丝雀" in body and "乙金丝雀" not in body and "<html" not in body
    body = client.get(
        reverse("events:desk_search", args=[event.pk]),
        {"q": "乙金丝雀"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "没有找到" in body and "代为报名" not in body


def test_roster_form_signs_up_and_reports(world, elder, client, login):
    event = make_event(world, capacity=1)
    login(world.users["village_a"])
    detail = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert "窗口代报名" in detail
    r = client.post(
        reverse("events:desk_register", args=[event.pk]), {"person": elder.pk}, follow=True
    )
    body = r.content.decode()
    assert "已为 王奶奶 报名" in body and "窗口代报" in body
    r = client.post(
        reverse("events:desk_register", args=[event.pk]),
        {"person": world.persons["a"].pk},
        follow=True,
    )
    assert "已进入候补名单" in r.content.decode()
    r = client.post(
        reverse("events:desk_register", args=[event.pk]), {"person": elder.pk}, follow=True
    )
    assert "王奶奶 已经报过名了" in r.content.decode()
    r = client.post(
        reverse("events:desk_register", args=[event.pk]),
        {"person": world.persons["b"].pk},
        follow=True,
    )
    assert "不在您的管辖范围内" in r.content.decode()
    assert (
        client.post(reverse("events:desk_register", args=[event.pk]), {"person": "x"}).status_code
        == 400
    )
    assert event.registrations.count() == 2


def test_marking_an_accountless_elder_present_credits_nobody(world, elder, client, login):
    event = make_event(world, capacity=3, starts_in=timedelta(minutes=5))
    reg = desk_register(actor=world.users["village_a"], event=event, person=elder)
    reg = services.attendance_mark(actor=world.users["village_a"], registration=reg)
    assert reg.checked_in_at is not None
    login(world.users["village_a"])
    sheet = client.get(reverse("events:event_sheet", args=[event.pk])).content.decode()
    assert "王奶奶" in sheet
