"""Route kwargs for the route-scoping test: every object lies in town A's subtree (东关社区)."""

from __future__ import annotations

from datetime import timedelta

from tests.deliberation.factories import (
    CANARY_TOPIC,
    held_item,
    make_action,
    make_decision,
    make_meeting,
    make_topic,
)


def _topic(world):
    return {"pk": make_topic(world).pk}


def _meeting(world):
    return {"pk": make_meeting(world).pk}


def _item(world):
    return {"pk": make_meeting(world, topics=[make_topic(world)]).items.get().pk}


def _voted_item(world):
    return {"pk": held_item(world)[2].pk}


def _attendance(world):
    from lianxin.deliberation import services

    meeting = make_meeting(world)
    services.invite_group(actor=world.users["village_a"], meeting=meeting, group=world.grid_a1)
    return {"pk": meeting.attendances.first().pk}


def _decision(world):
    return {"pk": make_decision(world).pk}


def _action(world):
    return {"pk": make_action(world).pk}


def _case(world):
    from tests.cases.factories import make_case

    return {"pk": make_case(world).pk}


def _visit(world):
    from django.utils import timezone

    from lianxin.visits.models import Visit

    visit = Visit.objects.create(
        household=world.households["a"],
        grid=world.grid_a1,
        visitor=world.users["grid_a1"],
        visited_at=timezone.now(),
        notes="楼道堆物",
    )
    return {"pk": visit.pk}


def _token(world):
    from lianxin.deliberation import services

    return {"token": services.checkin_token(meeting=make_meeting(world, starts_in=timedelta(0)))}


ROUTE_KWARGS = {
    "deliberation:topic_detail": _topic,
    "deliberation:topic_support": _topic,
    "deliberation:topic_close": _topic,
    "deliberation:topic_from_case": _case,
    "deliberation:topic_from_visit": _visit,
    "deliberation:meeting_detail": _meeting,
    "deliberation:meeting_cancel": _meeting,
    "deliberation:agenda_add": _meeting,
    "deliberation:meeting_invite": _meeting,
    "deliberation:meeting_qr": _meeting,
    "deliberation:meeting_door": _meeting,
    "deliberation:minutes_pdf": lambda world: {"pk": held_item(world)[1].pk},
    "deliberation:signin_pdf": _meeting,
    "deliberation:attendance_mark": _attendance,
    "deliberation:item_minutes": _item,
    "deliberation:item_vote": _item,
    "deliberation:item_decide": _voted_item,
    "deliberation:action_add": _decision,
    "deliberation:decision_case": _decision,
    "deliberation:decision_publish": _decision,
    "deliberation:action_detail": _action,
    "deliberation:checkin": _token,
    "deliberation:public_board": lambda world: {"code": world.village_a.code},
}

# 附议 is a resident's: 东关's resident (who raised the topic and so has supported it already).
ROUTE_OWNERS = {"deliberation:topic_support": "resident_a"}

CANARIES = lambda world: [CANARY_TOPIC]  # noqa: E731
