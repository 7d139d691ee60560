"""Writes on events, sign-up, check-in, queues and training, by step.

``publish`` (an event and its room booking), ``signup`` (registrations, check-in, attendance,
hours, queues) and ``training`` (programmes); re-exported here, so callers write
``events.services.event_create``.
"""

from lianxin.events.services.publish import (
    KEEP_ROOM,
    LIVE_BOOKING,
    ROOM_AUDIENCE,
    event_cancel,
    event_create,
    event_update,
)
from lianxin.events.services.signup import (
    CHECKIN_EARLY,
    CHECKIN_LATE,
    CHECKIN_SALT,
    attendance_mark,
    checkin,
    checkin_event_from_token,
    checkin_token,
    queue_call_next,
    queue_take,
    registration_cancel,
    registration_create,
    service_records_confirm,
)
from lianxin.events.services.training import programme_create

__all__ = [
    "CHECKIN_EARLY",
    "CHECKIN_LATE",
    "CHECKIN_SALT",
    "KEEP_ROOM",
    "LIVE_BOOKING",
    "ROOM_AUDIENCE",
    "attendance_mark",
    "checkin",
    "checkin_event_from_token",
    "checkin_token",
    "event_cancel",
    "event_create",
    "event_update",
    "programme_create",
    "queue_call_next",
    "queue_take",
    "registration_cancel",
    "registration_create",
    "service_records_confirm",
]
