"""URL kwargs for every 功能室预约 route, each pointing at an object in town A's subtree."""

from tests.rooms import factories as f


def _a(w):
    return f.venue_a(w)


def _room(w):
    return f.room_for(_a(w))


ROUTE_KWARGS = {
    "rooms:room_book": lambda w: {"pk": _room(w).pk},
    "rooms:room_checkin": lambda w: {"pk": _room(w).pk},
    "rooms:room_door": lambda w: {"pk": _room(w).pk},
    "rooms:room_ics": lambda w: {"pk": _room(w).pk, "token": _room(w).feed_token},
    "rooms:room_add": lambda w: {"pk": _a(w).pk},
    "rooms:room_edit": lambda w: {"pk": _room(w).pk},
    "rooms:room_rules": lambda w: {"pk": _room(w).pk},
    "rooms:slot_rule_remove": lambda w: {"pk": f.elders_morning(_room(w)).pk},
    "rooms:booking_cancel": lambda w: {"pk": f.booking_for(_room(w), w.users["resident_a"]).pk},
    "rooms:booking_decide": lambda w: {
        "pk": f.booking_for(_room(w), w.users["resident_a"], status="pending").pk
    },
    "rooms:booking_no_show": lambda w: {"pk": f.booking_for(_room(w), w.users["resident_a"]).pk},
    "api:venues_room_slots": lambda w: {"pk": _room(w).pk},
    "api:venues_room_book": lambda w: {"pk": _room(w).pk},
    "api:venues_booking": lambda w: {"pk": f.booking_for(_room(w), w.users["resident_a"]).pk},
    "api:venues_booking_cancel": lambda w: {
        "pk": f.booking_for(_room(w), w.users["resident_a"]).pk
    },
    "api:venues_booking_approve": lambda w: {
        "pk": f.booking_for(_room(w), w.users["resident_a"], status="pending").pk
    },
    "api:venues_booking_refuse": lambda w: {
        "pk": f.booking_for(_room(w), w.users["resident_a"], status="pending").pk
    },
    "api:venues_booking_no_show": lambda w: {
        "pk": f.booking_for(_room(w), w.users["resident_a"]).pk
    },
}


def CANARIES(w):  # noqa: N802
    """Town A's booking details that town B must never see (objects created on demand)."""
    f.booking_for(_room(w), w.users["resident_a"], hour=15)
    return [f.CANARY_GROUP_A]
