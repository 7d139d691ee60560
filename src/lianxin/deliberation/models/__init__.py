"""议事协商: topics (议题) with residents' support, meetings with agenda, attendance, minutes and
show-of-hands votes, and the decisions they take followed through to done and published."""

from lianxin.deliberation.models.decisions import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    Decision,
)
from lianxin.deliberation.models.meetings import (
    AgendaItem,
    Attendance,
    CheckinHow,
    Meeting,
    MeetingKind,
    MeetingStatus,
    QuorumRule,
    VoteRule,
)
from lianxin.deliberation.models.topics import Topic, TopicSource, TopicStatus, TopicSupport

__all__ = [
    "ActionItem",
    "ActionStatus",
    "ActionUpdate",
    "AgendaItem",
    "Attendance",
    "CheckinHow",
    "Decision",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "QuorumRule",
    "Topic",
    "TopicSource",
    "TopicStatus",
    "TopicSupport",
    "VoteRule",
]
