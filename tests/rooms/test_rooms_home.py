"""Room rules (错时利用) management and the home-page panels."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.rooms import services
from lianxin.rooms.models import BookingStatus, SlotRule
from tests.rooms import factories as f

pytestmark = pytest.mark.django_db


def test_slot_rules_may_not_overlap_or_leave_opening_hours(world):
    room = f.room_for(f.venue_a(world))
    actor = world.users["village_a"]
    services.slot_rule_add(
        actor=actor, room=room, weekdays="01234", starts=time(8), ends=time(11), audience="elders"
    )
    with pytest.raises(ValidationError, match="重叠"):
        services.slot_rule_add(
            actor=actor,
            room=room,
            weekdays="4",
            starts=time(10),
            ends=time(12),
            audience="children",
        )
    services.slot_rule_add(
        actor=actor, room=room, weekdays="56", starts=time(10), ends=time(12), audience="children"
    )
    with pytest.raises(ValidationError):
        services.slot_rule_add(
            actor=actor, room=room, weekdays="0", starts=time(20), ends=time(22), audience="meeting"
        )
    assert SlotRule.objects.count() == 2


def test_room_rules_page_adds_and_removes(world, client, login):
    room = f.room_for(f.venue_a(world))
    login(world.users["village_a"])
    url = reverse("rooms:room_rules", args=[room.pk])
    response = client.post(
        url,
        {
            "weekdays": ["0", "1", "2", "3", "4"],
            "starts": "16:00",
            "ends": "18:00",
            "audience": "children",
            "note": "四点半课堂",
        },
    )
    assert response.status_code == 302
    rule = room.slot_rules.get()
    assert rule.weekdays == "01234" and rule.audience == "children"
    assert "四点半课堂" in client.get(url).content.decode()
    client.post(reverse("rooms:slot_rule_remove", args=[rule.pk]))
    assert not room.slot_rules.exists()
    login(world.users["resident_a"])
    assert client.get(url).status_code == 403


def test_home_panels_for_staff_and_residents(world, client, login):
    room = f.room_for(f.venue_a(world), requires_approval=True)
    f.booking_for(room, world.users["resident_a"], status=BookingStatus.PENDING)
    from tests.compliance.factories import inspection_for

    inspection_for(world, f.venue_a(world))
    login(world.users["village_a"])
    html = client.get("/").content.decode()
    assert "待审批预约" in html and "整改未完成" in html
    login(world.users["resident_a"])
    html = client.get("/").content.decode()
    assert "我的功能室预约" in html and "文化活动室" in html
    login(world.users["resident_b"])
    assert "文化活动室" not in client.get("/").content.decode()
