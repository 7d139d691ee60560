from django.urls import path

from lianxin.deliberation import views_meetings as meetings
from lianxin.deliberation import views_outcome as outcome
from lianxin.deliberation import views_topics as topics

app_name = "deliberation"

urlpatterns = [
    path("", topics.topic_list, name="topic_list"),
    path("area/", topics.area_topics, name="area_topics"),
    path("topics/new/", topics.topic_new, name="topic_new"),
    path("topics/<int:pk>/", topics.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/support/", topics.topic_support, name="topic_support"),
    path("topics/<int:pk>/close/", topics.topic_close, name="topic_close"),
    path("topics/from-case/<int:pk>/", topics.topic_from_case, name="topic_from_case"),
    path("topics/from-visit/<int:pk>/", topics.topic_from_visit, name="topic_from_visit"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/agenda/", meetings.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/invite/", meetings.meeting_invite, name="meeting_invite"),
    path("meetings/<int:pk>/qr.svg", meetings.meeting_qr, name="meeting_qr"),
    path("meetings/<int:pk>/door/", meetings.meeting_door, name="meeting_door"),
    path("meetings/<int:pk>/minutes.pdf", outcome.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/signin.pdf", outcome.signin_pdf, name="signin_pdf"),
    path("attendance/<int:pk>/mark/", meetings.attendance_mark, name="attendance_mark"),
    path("items/<int:pk>/minutes/", meetings.item_minutes, name="item_minutes"),
    path("items/<int:pk>/vote/", meetings.item_vote, name="item_vote"),
    path("items/<int:pk>/decide/", meetings.item_decide, name="item_decide"),
    path("decisions/<int:pk>/actions/", outcome.action_add, name="action_add"),
    path("decisions/<int:pk>/case/", outcome.decision_case, name="decision_case"),
    path("decisions/<int:pk>/publish/", outcome.decision_publish, name="decision_publish"),
    path("actions/", outcome.action_list, name="action_list"),
    path("actions/<int:pk>/", outcome.action_detail, name="action_detail"),
    path("checkin/<str:token>/", meetings.checkin, name="checkin"),
    path("public/<str:code>/", outcome.public_board, name="public_board"),
]
