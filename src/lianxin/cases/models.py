"""诉求 (residents' requests), handled under the seven rules of 接诉即办.

A ``Case`` has exactly one owner at every moment — a person or a unit's queue (首问责任) —
enforced by a CheckConstraint. Deadlines are data (限时办结): ``accept_due_at`` and
``resolve_due_at`` are computed once at dispatch and indexed; "overdue" is a query.
Every step is an immutable ``CaseEvent`` in the timeline, public or internal.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import AppendOnlyModel, AppendOnlyQuerySet, TimeStampedModel
from lianxin.org.models import Unit
from lianxin.org.scoping import ScopedQuerySet


class Priority(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class DueUnit(models.TextChoices):
    HOURS = "hours", _("小时")
    WORKDAYS = "workdays", _("工作日")


class Category(TimeStampedModel):
    """A node of the configurable category tree (环境卫生, 物业供热, 矛盾纠纷 …)."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)  # shipped rows only
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    default_priority = models.CharField(
        _("默认紧急程度"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("诉求分类")
        verbose_name_plural = _("诉求分类")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (English for the shipped tree, else Chinese)."""
        from lianxin.core.shipped_names import shipped_name

        return shipped_name(self)


class DeadlineRule(TimeStampedModel):
    """限时办结: how long a unit has to sign for (签收) and to complete a request."""

    category = models.ForeignKey(
        Category, verbose_name=_("分类"), on_delete=models.CASCADE, related_name="deadline_rules"
    )
    priority = models.CharField(_("紧急程度"), max_length=10, choices=Priority.choices)
    accept_amount = models.PositiveIntegerField(_("签收时限"))
    accept_unit = models.CharField(_("签收时限单位"), max_length=10, choices=DueUnit.choices)
    resolve_amount = models.PositiveIntegerField(_("办结时限"))
    resolve_unit = models.CharField(_("办结时限单位"), max_length=10, choices=DueUnit.choices)

    class Meta:
        ordering = ["category", "priority"]
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        constraints = [
            models.UniqueConstraint(fields=["category", "priority"], name="cases_rule_unique"),
            models.CheckConstraint(
                condition=Q(accept_amount__gt=0) & Q(resolve_amount__gt=0),
                name="cases_rule_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.get_priority_display()}"


class Channel(models.TextChoices):
    RESIDENT = "resident", _("群众自助")
    STAFF = "staff", _("窗口/电话登记")
    GRID = "grid", _("网格员巡查")
    # Sent by another platform (12345 hotline, a WeChat channel) through an integration token:
    # it enters the grid's queue like a resident's request (the integration is not a handler).
    API = "api", _("开放接口")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("待签收")
    ACCEPTED = "accepted", _("已签收")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结待评价")
    CLOSED = "closed", _("已关闭")
    REOPENED = "reopened", _("重新办理")
    MERGED = "merged", _("已合并")
    REJECTED = "rejected", _("不予受理")


OPEN_STATES = (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS, State.REOPENED)
AWAITING_ACCEPT_STATES = (State.SUBMITTED, State.REOPENED)
TERMINAL_STATES = (State.CLOSED, State.MERGED, State.REJECTED)
LIVE_STATES = [*OPEN_STATES, State.RESOLVED]


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    UNRATED = "unrated", _("未评价")


class ExtensionState(models.TextChoices):
    NONE = "", _("未申请")
    REQUESTED = "requested", _("延期待审批")
    APPROVED = "approved", _("延期已批准")
    REFUSED = "refused", _("延期未批准")


class CaseQuerySet(ScopedQuerySet):
    """Staff see requests located in, or handled by, their subtrees.

    The unit-id strategy (``org.scoping``, ADR 0005): on PostgreSQL the subtree is resolved once
    per request user into unit ids and matched by id (``grid_id = ANY(…) OR unit_id = ANY(…)``),
    so the planner combines the two foreign-key indexes (BitmapOr) instead of comparing every
    request's unit path (1M rows: a village list from 1.6 s to 35 ms); a very wide scope falls
    back to a subquery, SQLite keeps the path filter.
    """

    scope_fields = ("grid", "unit")
    scope_strategy = "ids"

    def open(self) -> CaseQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, now=None) -> CaseQuerySet:
        return self.filter(overdue_q(now or timezone.now()))

    def due_soon(self, now=None, hours: int = 24) -> CaseQuerySet:
        return self.filter(due_soon_q(now or timezone.now(), hours))


def overdue_q(now) -> Q:
    """Past a deadline now: "overdue" is a query over stored due times, never a timer."""
    return Q(state__in=AWAITING_ACCEPT_STATES, accept_due_at__lt=now) | Q(
        state__in=OPEN_STATES, resolve_due_at__lt=now
    )


def due_soon_q(now, hours: int = 24) -> Q:
    soon = now + timezone.timedelta(hours=hours)
    return Q(state__in=AWAITING_ACCEPT_STATES, accept_due_at__gte=now, accept_due_at__lt=soon) | Q(
        state__in=OPEN_STATES, resolve_due_at__gte=now, resolve_due_at__lt=soon
    )


class Case(TimeStampedModel):
    code = models.CharField(_("查询码"), max_length=12, unique=True)
    idempotency_key = models.CharField(
        _("提交令牌"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    title = models.CharField(_("标题"), max_length=80)
    description = models.TextField(_("诉求内容"), max_length=2000)
    search_tokens = models.TextField(_("检索词"), blank=True, default="", editable=False)
    category = models.ForeignKey(
        Category, verbose_name=_("分类"), on_delete=models.PROTECT, related_name="cases"
    )
    priority = models.CharField(
        _("紧急程度"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
    )
    reporter_name = models.CharField(_("联系人"), max_length=50)
    reporter_phone = models.CharField(_("联系电话"), max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entered_cases",
    )
    grid = models.ForeignKey(
        Unit, verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="cases_located"
    )
    town = models.ForeignKey(
        Unit, verbose_name=_("所在乡镇"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Unit,
        verbose_name=_("所在村（社区）"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("地点"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)

    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    # 首问责任: exactly one of owner_user / owner_unit is set (constraint below).
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_cases",
    )
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("待签收单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="queued_cases",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="handled_cases"
    )
    handler_post = models.CharField(_("承办人职务"), max_length=50, blank=True)
    supervising_unit = models.ForeignKey(
        Unit,
        verbose_name=_("督办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_cases",
    )

    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    accept_due_at = models.DateTimeField(_("签收时限"), null=True, blank=True, db_index=True)
    resolve_due_at = models.DateTimeField(_("办结时限"), null=True, blank=True, db_index=True)
    # 暂按工作日计算: a due time counted in working days through a year whose official 节假日安排
    # was not complete yet; ``due_basis`` keeps {"accept"/"resolve": {"from", "days"}} of each such
    # due time, so the worker counts it again once the year is entered (cases.provisional).
    due_provisional = models.BooleanField(_("时限暂按工作日计算"), default=False)
    due_basis = models.JSONField(_("时限计算依据"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    first_accepted_at = models.DateTimeField(_("首次签收时间"), null=True, blank=True)
    accepted_on_time = models.BooleanField(_("按时签收"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    resolved_on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    handling_minutes = models.PositiveIntegerField(_("办理用时（分钟）"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    reject_reason = models.CharField(_("不予受理理由"), max_length=500, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    sent_back = models.BooleanField(_("已退回过"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)

    # The sweep's marks (stamped with the time they became due, so catching up is idempotent).
    accept_warned_at = models.DateTimeField(_("签收预警时间"), null=True, blank=True)
    accept_overdue_at = models.DateTimeField(_("签收超时时间"), null=True, blank=True)
    resolve_warned_at = models.DateTimeField(_("办结预警时间"), null=True, blank=True)
    resolve_overdue_at = models.DateTimeField(_("办结超时时间"), null=True, blank=True)
    supervised_at = models.DateTimeField(_("督办时间"), null=True, blank=True, db_index=True)

    extension_state = models.CharField(
        _("延期"), max_length=10, choices=ExtensionState.choices, blank=True, default=""
    )
    extension_until = models.DateTimeField(_("申请延期至"), null=True, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=500, blank=True)

    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    # The resolution a rating judges: the unit and handler that resolved the request, recorded
    # when it is rated (a 不满意 reopens it to the level above, which must not inherit it).
    # 满意率 is charged to them, not to whoever holds the request afterwards (docs/rates.md).
    rated_unit = models.ForeignKey(
        Unit,
        verbose_name=_("评价计入单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价计入承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_user__isnull=False) & Q(owner_unit__isnull=True))
                | (Q(owner_user__isnull=True) & Q(owner_unit__isnull=False)),
                name="cases_case_exactly_one_owner",
            ),
            models.CheckConstraint(
                condition=~Q(state="merged") | Q(merged_into__isnull=False),
                name="cases_case_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(reject_reason=""),
                name="cases_case_rejected_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state", "resolve_due_at"], name="cases_unit_state_due"),
            models.Index(fields=["owner_user", "state"], name="cases_owner_state"),
            models.Index(fields=["reporter", "-created_at"], name="cases_reporter"),
            # The live requests (open or awaiting evaluation, ~2% of all) by place and by handler,
            # and alone in due order (a wide scope's overdue list; else the full due index is walked):
            # the queues, overdue lists and workbench counts read these, not the whole table.
            *(
                models.Index(fields=fields, condition=Q(state__in=LIVE_STATES), name=name)
                for fields, name in (
                    (["grid", "resolve_due_at"], "cases_live_grid_due"),
                    (["unit", "resolve_due_at"], "cases_live_unit_due"),
                    (["resolve_due_at", "id"], "cases_live_due"),
                )
            ),
            # The few requests whose due times wait for next year's 节假日安排 (the worker's scan).
            models.Index(
                fields=["id"], condition=Q(due_provisional=True), name="cases_due_provisional"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        if self.state in AWAITING_ACCEPT_STATES and self.accept_due_at and self.accept_due_at < now:
            return True
        return bool(self.state in OPEN_STATES and self.resolve_due_at and self.resolve_due_at < now)


class EventKind(models.TextChoices):
    SUBMIT = "submit", _("提交诉求")
    DISPATCH = "dispatch", _("派单")
    ACCEPT = "accept", _("签收")
    TRANSFER = "transfer", _("转办")
    SEND_BACK = "send_back", _("退回")
    ESCALATE = "escalate", _("上报")
    MERGE = "merge", _("合并")
    REJECT = "reject", _("不予受理")
    START = "start", _("开始办理")
    RESOLVE = "resolve", _("办结")
    CLOSE = "close", _("关闭")
    REOPEN = "reopen", _("重新办理")
    EXTENSION_REQUEST = "ext_request", _("申请延期")
    EXTENSION_APPROVE = "ext_approve", _("批准延期")
    EXTENSION_REFUSE = "ext_refuse", _("不批准延期")
    EVALUATE = "evaluate", _("群众评价")
    NOTE = "note", _("内部备注")
    WARN = "warn", _("临期预警")
    OVERDUE = "overdue", _("超时")
    SUPERVISE = "supervise", _("督办")
    DEADLINE = "deadline", _("时限调整")
    CO_REPORT = "co_report", _("我也遇到")
    CALLBACK = "callback", _("回访")


class CaseEventQuerySet(AppendOnlyQuerySet):
    """The timeline is append-only: bulk ``update()``/``delete()`` raise ``ImmutableRowError``."""

    def public(self) -> CaseEventQuerySet:
        return self.filter(is_public=True)


class CaseEvent(AppendOnlyModel):
    """One immutable step of a request's timeline: who, when, what, why, from where to where."""

    case = models.ForeignKey(
        Case, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=50, blank=True)
    actor_post = models.CharField(_("操作人职务"), max_length=80, blank=True)
    from_unit = models.ForeignKey(
        Unit,
        verbose_name=_("来自单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        Unit,
        verbose_name=_("转至单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_state = models.CharField(_("原状态"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=State.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    is_public = models.BooleanField(_("群众可见"), default=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"


class PhotoKind(models.TextChoices):
    REPORT = "report", _("现场照片")
    RESULT = "result", _("办结照片")  # shown on the public tracking page


def photo_path(instance: CasePhoto, filename: str) -> str:
    return f"cases/{timezone.now():%Y/%m}/{instance.token}.jpg"


class CasePhoto(TimeStampedModel):
    case = models.ForeignKey(
        Case, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="photos"
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    kind = models.CharField(
        _("照片类型"), max_length=10, choices=PhotoKind.choices, default=PhotoKind.REPORT
    )
    image = models.FileField(_("照片"), upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("诉求照片")
        verbose_name_plural = _("诉求照片")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.token}"


class CaseStatQuerySet(ScopedQuerySet):
    """The same rows ``Case.objects.visible_to`` would count: located in, or handled by, the subtree.

    As for requests, PostgreSQL matches the subtree's unit ids (the unit-id strategy of
    ``org.scoping``) so the (month, grid) and (month, unit) indexes answer it: a county's month
    reads its ~600 rollup rows instead of joining the province's month twice to the unit tree.
    """

    scope_fields = ("grid", "unit")
    scope_strategy = "ids"


class CaseStat(TimeStampedModel):
    """Rollup behind 三率 and 末位问责: counters of the counted requests (not merged or rejected)
    per (month submitted, grid, handling unit, top-level category, handler). ``rated`` and
    ``satisfied`` are keyed by the unit and handler that resolved the rated request
    (``Case.rated_unit``/``rated_handler``), every other counter by the current ones.

    Kept current by the services in the same transaction as each change (``stats.stats_sync``);
    ``lianxin cases_stats_rebuild`` recomputes it all. ``town``/``village`` follow from the grid.
    """

    month = models.DateField(_("月份"))
    grid = models.ForeignKey(
        Unit, verbose_name=_("所在网格"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.CASCADE, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    town = models.ForeignKey(
        Unit, verbose_name=_("所在乡镇"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    village = models.ForeignKey(
        Unit,
        verbose_name=_("所在村（社区）"),
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    total = models.PositiveIntegerField(_("诉求数"), default=0)
    # 已判定: accepted, or the accept deadline passed (swept) — the 响应率 denominator.
    accept_decided = models.PositiveIntegerField(_("签收已判定数"), default=0)
    accepted_on_time = models.PositiveIntegerField(_("按时签收数"), default=0)
    # resolved, or the completion deadline passed (swept) — 解决率 and 按时办结率 denominator.
    resolve_decided = models.PositiveIntegerField(_("办结已判定数"), default=0)
    resolved = models.PositiveIntegerField(_("办结数"), default=0)
    resolved_on_time = models.PositiveIntegerField(_("按时办结数"), default=0)
    rated = models.PositiveIntegerField(_("评价数"), default=0)
    satisfied = models.PositiveIntegerField(_("满意数"), default=0)
    open = models.PositiveIntegerField(_("在办数"), default=0)
    handled = models.PositiveIntegerField(_("有办理用时的诉求数"), default=0)
    handling_minutes = models.BigIntegerField(_("办理用时合计（分钟）"), default=0)

    objects = CaseStatQuerySet.as_manager()

    class Meta:
        ordering = ["month", "id"]
        verbose_name = _("诉求统计")
        verbose_name_plural = _("诉求统计")
        constraints = [
            models.UniqueConstraint(
                "month",
                "grid",
                "unit",
                "category",
                Coalesce("handler", Value(0)),
                name="cases_stat_key",
            ),
            # a row may hold only ratings: a request rated here but now handled elsewhere
            models.CheckConstraint(
                condition=Q(total__gt=0) | Q(rated__gt=0), name="cases_stat_not_empty"
            ),
        ]
        indexes = [
            models.Index(fields=["month", "town"], name="cases_stat_month_town"),
            models.Index(fields=["month", "unit"], name="cases_stat_month_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.grid_id}/{self.unit_id}/{self.category_id}/{self.handler_id}: {self.total}"


# 回访 and 常用语, 我也遇到 and merged duplicates' reporters (modules of their own: this one is at
# its size limit).
from lianxin.cases.callbacks import (  # noqa: E402, F401
    CallBack,
    CallbackSatisfaction,
    CannedPurpose,
    CannedReply,
)
from lianxin.cases.coreporters import CoReporter, CoReporterSource  # noqa: E402, F401
