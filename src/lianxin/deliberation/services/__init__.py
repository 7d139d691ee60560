"""Writes of 议事协商, by step: ``topics`` (raise, 附议, close), ``meetings`` (convene with the
room booked, agenda, invitations, cancel), ``attendance`` (QR check-in, manual marks),
``votes`` (quorum, minutes, show of hands) and ``decisions`` (action items, 接诉即办, 村务公开)."""

from lianxin.deliberation.services.attendance import (
    attendance_mark,
    checkin_meeting_from_token,
    checkin_token,
    meeting_checkin,
)
from lianxin.deliberation.services.decisions import (
    action_add,
    action_update,
    decision_publish,
    decision_record,
    decision_to_case,
)
from lianxin.deliberation.services.meetings import (
    agenda_add,
    invite_group,
    invite_people,
    meeting_cancel,
    meeting_create,
)
from lianxin.deliberation.services.topics import (
    topic_close,
    topic_from_case,
    topic_from_visit,
    topic_raise,
    topic_support,
)
from lianxin.deliberation.services.votes import minutes_record, quorum, vote_record

__all__ = [
    "action_add",
    "action_update",
    "agenda_add",
    "attendance_mark",
    "checkin_meeting_from_token",
    "checkin_token",
    "decision_publish",
    "decision_record",
    "decision_to_case",
    "invite_group",
    "invite_people",
    "meeting_cancel",
    "meeting_checkin",
    "meeting_create",
    "minutes_record",
    "quorum",
    "topic_close",
    "topic_from_case",
    "topic_from_visit",
    "topic_raise",
    "topic_support",
    "vote_record",
]
