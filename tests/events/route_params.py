"""Route kwargs for the route-scoping test: every object lies in town A's subtree."""

from datetime import timedelta

from tests.events.factories import make_event, make_programme


def _event(world):
    return {"pk": make_event(world, capacity=10).pk}


def _registration(world):
    from lianxin.events import services

    event = make_event(world, capacity=10)
    return {"pk": services.registration_create(actor=world.users["party_a"], event=event).pk}


def _item(world):
    from lianxin.events.models import EventKind

    event = make_event(world, kind=EventKind.SERVICE_DAY, service_items=["家电维修"])
    return {"pk": event.service_items.get().pk}


def _token(world):
    from lianxin.events import services

    return {
        "token": services.checkin_token(event=make_event(world, starts_in=timedelta(minutes=5)))
    }


ROUTE_KWARGS = {
    "events:event_detail": _event,
    "events:event_register": _event,
    "events:event_cancel": _event,
    "events:event_edit": _event,
    "events:event_sheet": _event,
    "events:attendance_export": _event,
    "events:event_qr": _event,
    "events:event_door": _event,
    "events:hours_confirm": _event,
    "events:desk_search": _event,
    "events:desk_register": _event,
    "events:registration_cancel": _registration,
    "events:attendance_mark": _registration,
    "events:checkin": _token,
    "events:queue_take": _item,
    "events:queue_next": _item,
    "events:programme_detail": lambda world: {"pk": make_programme(world).pk},
    "events:programme_export": lambda world: {"pk": make_programme(world).pk},
    # Public .ics feed of town A's community: titles, times and places of public events only.
    "events:unit_ics": lambda world: {"code": world.village_a.code},
    "api:activities_event": _event,
    "api:activities_event_register": _event,
    "api:activities_event_roster": _event,
    "api:activities_registration_cancel": _registration,
    "api:activities_registration_attend": _registration,
}
