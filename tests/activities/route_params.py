"""Route kwargs for the route-scoping test: every object lies in town A's subtree."""

from datetime import timedelta

from tests.activities.factories import (
    make_brand,
    make_event,
    make_post,
    make_programme,
    make_proposal,
    make_team,
)


def _event(world):
    return {"pk": make_event(world, capacity=10).pk}


def _registration(world):
    from lianxin.activities import services

    event = make_event(world, capacity=10)
    return {"pk": services.registration_create(actor=world.users["party_a"], event=event).pk}


def _item(world):
    from lianxin.activities.models import EventKind

    event = make_event(world, kind=EventKind.SERVICE_DAY, service_items=["家电维修"])
    return {"pk": event.service_items.get().pk}


def _token(world):
    from lianxin.activities import services

    return {
        "token": services.checkin_token(event=make_event(world, starts_in=timedelta(minutes=5)))
    }


def _adopted(world):
    return {"pk": make_proposal(world).pk}


ROUTE_KWARGS = {
    "activities:event_detail": _event,
    "activities:event_register": _event,
    "activities:event_cancel": _event,
    "activities:event_edit": _event,
    "activities:event_sheet": _event,
    "activities:event_qr": _event,
    "activities:event_door": _event,
    "activities:hours_confirm": _event,
    "activities:desk_search": _event,
    "activities:desk_register": _event,
    "activities:registration_cancel": _registration,
    "activities:attendance_mark": _registration,
    "activities:checkin": _token,
    "activities:queue_take": _item,
    "activities:queue_next": _item,
    "activities:programme_detail": lambda world: {"pk": make_programme(world).pk},
    "activities:programme_export": lambda world: {"pk": make_programme(world).pk},
    "activities:team_detail": lambda world: {"pk": make_team(world).pk},
    "activities:team_member_add": lambda world: {"pk": make_team(world).pk},
    "activities:team_member_remove": lambda world: {"pk": make_team(world).pk},
    "activities:post_detail": lambda world: {"pk": make_post(world).pk},
    "activities:area_add": lambda world: {"pk": make_post(world).pk},
    # Public card: 200 for anyone, the holder's name masked.
    "activities:post_card": lambda world: {"pk": make_post(world).pk},
    "activities:person_record": lambda world: {"pk": world.users["party_a"].pk},
    "activities:brand_detail": lambda world: {"pk": make_brand(world).pk},
    "activities:brand_decide": lambda world: {"pk": make_brand(world).pk},
    "activities:brand_review": lambda world: {"pk": make_brand(world).pk},
    "activities:proposal_detail": _adopted,
    "activities:proposal_review": _adopted,
    "activities:proposal_implement": _adopted,
    # Public .ics feed of town A's community: titles, times and places of public events only.
    "activities:unit_ics": lambda world: {"code": world.village_a.code},
    "api:activities_event": _event,
    "api:activities_event_register": _event,
}

CANARIES = lambda world: ["东关红色驿站", "增设夜间路灯", "东关志愿服务队", "政策宣讲示范岗"]  # noqa: E731
