"""Writes of 功能室预约: bookings (``booking``) and rooms with their slot rules (``rooms``)."""

from lianxin.rooms.services.booking import (
    CHECKIN_EARLY,
    booking_cancel,
    booking_check_in,
    booking_check_rules,
    booking_create,
    booking_decide,
    booking_mark_no_show,
    bookings_sweep_no_shows,
    new_client_token,
)
from lianxin.rooms.services.rooms import room_save, slot_rule_add, slot_rule_remove

__all__ = [
    "CHECKIN_EARLY",
    "booking_cancel",
    "booking_check_in",
    "booking_check_rules",
    "booking_create",
    "booking_decide",
    "booking_mark_no_show",
    "bookings_sweep_no_shows",
    "new_client_token",
    "room_save",
    "slot_rule_add",
    "slot_rule_remove",
]
