"""Typed shapes of the 诉求 API (``cases.api`` and ``cases.api_actions``).

Every field is bounded and every choice is an enum, so the OpenAPI document says exactly what
is accepted and what comes back (schemathesis checks each response against it). Personal data
leaves masked, as on the request page: the reporter's name ``张*`` and phone ``139****0009``;
the full number only through the audited reveal on the page. Error bodies are the API's one
shape, ``lianxin.api.responses.ErrorOut`` (``{"code", "detail"}``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import AfterValidator

from lianxin.cases import selectors, services
from lianxin.core.masking import mask_name, mask_phone
from lianxin.core.params import DATE_MAX, DATE_MIN, Id, Moment, Text, Token

# The enums of the OpenAPI document, from the model's choices (models.State, Priority, Rating,
# Channel, EventKind) and the workbench's views and sorts (selectors.LIST_VIEWS, SORTS).
StateName = Literal[
    "submitted", "accepted", "in_progress", "resolved", "closed", "reopened", "merged", "rejected"
]
PriorityName = Literal["normal", "urgent", "critical"]
ChannelName = Literal["resident", "staff", "grid", "api"]
RatingName = Literal["", "satisfied", "basic", "unsatisfied", "unrated"]
GivenRating = Literal["satisfied", "basic", "unsatisfied"]
ListView = Literal["mine", "unit", "due_soon", "overdue", "awaiting_eval", "supervised", "all"]
ListSort = Literal["due", "-created", "created", "accept_due"]
ActionName = Literal[
    "accept",
    "start",
    "resolve",
    "dispatch",
    "transfer",
    "send_back",
    "escalate",
    "reject",
    "merge",
    "close",
    "note",
    "extension_request",
    "extension_decide",
    "reopen",
]


def _day_in_bounds(value: date) -> date:
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValueError(f"must lie between {DATE_MIN} and {DATE_MAX}")
    return value


Day = Annotated[date, AfterValidator(_day_in_bounds)]


def _clean(value: str) -> str:
    return value.replace("\x00", "").strip()


def _clean_required(value: str) -> str:
    value = _clean(value)
    if not value:
        raise ValueError("must not be blank")
    return value


def _bounded(max_length: int, *, required: bool = False):
    """A text field: NUL removed and stripped, at most ``max_length`` characters (the column);
    a required one must keep a character after stripping (blank is 422 like a missing field)."""
    return Annotated[
        str,
        Field(min_length=1 if required else 0, max_length=max_length),
        AfterValidator(_clean_required if required else _clean),
    ]


Title = _bounded(80, required=True)
LongText = _bounded(2000, required=True)
Reason = _bounded(500, required=True)
OptionalNote = _bounded(2000)


class CaseQuery(Schema):
    """The workbench's filters (``selectors.CaseFilters``), typed."""

    view: ListView = Field("all", description="工作台视图")
    q: Text = Field("", description="标题、内容或查询码")
    state: StateName | None = Field(None, description="状态")
    category: Id | None = Field(None, description="分类 id（含其下级分类）")
    unit: Id | None = Field(None, description="承办单位 id")
    grid: Id | None = Field(None, description="所在网格 id")
    created_from: Day | None = Field(None, description="提交日期起（含）")
    created_to: Day | None = Field(None, description="提交日期止（含）")
    overdue: bool = Field(False, description="只看已超时")
    sort: ListSort = Field("-created", description="排序")

    def filters(self) -> selectors.CaseFilters:
        return selectors.CaseFilters(
            view=self.view,
            q=self.q,
            state=self.state or "",
            category=self.category,
            unit=self.unit,
            grid=self.grid,
            date_from=self.created_from,
            date_to=self.created_to,
            overdue=self.overdue,
            sort=self.sort,
        )


class CaseOut(Schema):
    id: int
    code: str
    title: str
    category: str
    category_id: int
    priority: PriorityName
    channel: ChannelName
    state: StateName
    grid: str
    grid_id: int
    unit: str
    unit_id: int
    handler: str | None
    accept_due_at: datetime | None
    resolve_due_at: datetime | None
    created_at: datetime
    rating: RatingName

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_grid(obj) -> str:
        return obj.grid.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_handler(obj) -> str | None:
        return str(obj.owner_user) if obj.owner_user else None


class CaseEventOut(Schema):
    kind: str
    actor_name: str
    actor_post: str
    note: str
    is_public: bool
    from_state: str
    to_state: str
    created_at: datetime


class CaseDetailOut(CaseOut):
    description: str
    address: str
    lat: float | None
    lng: float | None
    reporter_name: str = Field(description="联系人（脱敏）")
    reporter_phone: str = Field(description="联系电话（脱敏）")
    queue_unit: str | None = Field(description="待签收单位（无人签收时）")
    resolution: str
    reject_reason: str
    merged_into: str | None = Field(description="合并到的诉求查询码")
    sent_back: bool
    accepted_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    rating_comment: str
    actions: list[ActionName] = Field(description="当前用户现在可以执行的操作")
    events: list[CaseEventOut]

    @staticmethod
    def resolve_reporter_name(obj) -> str:
        return mask_name(obj.reporter_name)

    @staticmethod
    def resolve_reporter_phone(obj) -> str:
        return mask_phone(obj.reporter_phone)

    @staticmethod
    def resolve_queue_unit(obj) -> str | None:
        return obj.owner_unit.name if obj.owner_unit_id else None

    @staticmethod
    def resolve_merged_into(obj) -> str | None:
        return obj.merged_into.code if obj.merged_into_id else None

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return services.actions_for(context["request"].user, obj)

    @staticmethod
    def resolve_events(obj, context) -> list:
        # The internal timeline is staff's; the reporter (evaluating through the API) sees
        # the public one, as on the tracking page.
        from lianxin.org.scoping import user_scope

        staff = user_scope(context["request"].user).is_staff
        return list(selectors.case_timeline(case=obj, public_only=not staff))


class CaseIn(Schema):
    """A new request. The place is a grid id, or a point inside one (``lat``/``lng``)."""

    title: Title
    description: LongText
    category: Id = Field(description="分类 id（启用的分类）")
    grid: Id | None = Field(None, description="所在网格 id；不填时按经纬度定位")
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    address: _bounded(200) = ""  # type: ignore[valid-type]
    reporter_name: _bounded(50, required=True)  # type: ignore[valid-type]
    reporter_phone: Annotated[str, Field(pattern=r"^1[3-9][0-9]{9}$", description="手机号")]
    priority: PriorityName | None = Field(None, description="紧急程度；不填为分类的默认值")
    idempotency_key: Token | None = Field(
        None, description="幂等键（也可用请求头 Idempotency-Key）：同一键重试得到同一诉求"
    )
    external_id: _bounded(64) = Field("", description="对接平台自己的编号")  # type: ignore[valid-type]


class CaseDispatchIn(Schema):
    to_unit: Id = Field(description="派往的单位 id（下级单位或职能部门）")
    note: OptionalNote = ""  # type: ignore[valid-type]


class CaseTransferIn(Schema):
    to_unit: Id = Field(description="转往的单位 id")
    reason: Reason  # type: ignore[valid-type]


class CaseReasonIn(Schema):
    reason: Reason  # type: ignore[valid-type]


class CaseResolveIn(Schema):
    resolution: LongText  # type: ignore[valid-type]


class CaseEvaluateIn(Schema):
    rating: GivenRating
    comment: _bounded(500) = ""  # type: ignore[valid-type]
    phone: Annotated[
        str,
        Field(max_length=20, pattern=r"^[0-9+ -]*$", description="未登录提交人：提交时留的手机号"),
    ] = ""


class CaseNoteIn(Schema):
    note: LongText  # type: ignore[valid-type]


class CaseNoteOptionalIn(Schema):
    note: OptionalNote = ""  # type: ignore[valid-type]


class CaseMergeIn(Schema):
    into: Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z -]+$")] = Field(
        description="合并到的诉求查询码（须在本人可见范围内）"
    )


class CaseExtensionRequestIn(Schema):
    until: Moment = Field(description="申请延期到的时限")
    reason: Reason  # type: ignore[valid-type]


class CaseExtensionDecideIn(Schema):
    approve: bool = Field(description="true 批准，false 不批准")
    note: OptionalNote = ""  # type: ignore[valid-type]


class CasePhotoOut(Schema):
    token: str
    width: int
    height: int
    size: int
    created_at: datetime
    url: str = Field(description="照片地址（登录并有权查看诉求时可打开）")

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("cases:photo", args=[obj.token])
