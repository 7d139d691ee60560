from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema

from lianxin.api.paging import PageParams
from lianxin.api.responses import LIST_ERRORS
from lianxin.notifications import selectors

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    read_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.shown_title  # in the caller's language when stored as msgid + params

    @staticmethod
    def resolve_body(obj) -> str:
        return obj.shown_body


@router.get(
    "/", response={200: list[NotificationOut], **LIST_ERRORS}, url_name="notifications_list"
)
def notifications(request, page: Query[PageParams], unread: bool = False):
    qs = selectors.notification_list(user=request.user)
    if unread:
        qs = qs.unread()
    return page.slice(qs)
