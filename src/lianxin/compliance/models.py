"""阵地规范化: the signage campaign (挂牌、制度上墙), field inspections (实地指导) and the
rectification tasks (整改任务) they open, followed to closure with an after-photo.

Promoted out of ``lianxin.venues`` (docs/adr/0007-compliance-app.md): the models keep their
tables (``venues_<model>``), so the move was a state-only migration.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet
from lianxin.venues.models import Venue

# --- signage and wall rules (挂牌、制度上墙) -------------------------------------------------


class SignageKind(models.TextChoices):
    PLAQUE = "plaque", _("牌子")
    MARK = "mark", _("标识")
    RULE = "rule", _("上墙制度")


class SignageStandard(models.Model):
    """The standard set: what every village centre hangs and puts on the wall, no more."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)  # shipped rows only
    kind = models.CharField(_("类别"), max_length=8, choices=SignageKind.choices)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        db_table = "venues_signagestandard"
        ordering = ["order", "id"]
        verbose_name = _("标准挂牌/制度")
        verbose_name_plural = _("标准挂牌/制度")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (English for the shipped set, else Chinese)."""
        from lianxin.core.shipped_names import shipped_name

        return shipped_name(self)


class SignageCampaignQuerySet(ScopedQuerySet):
    """Seen by staff above the campaign (its unit in their subtree) and below it (its unit
    one of theirs or an ancestor of one), like the survey campaigns."""

    scope_fields = ("unit",)
    scope_ancestors = True


class SignageCampaign(models.Model):
    """专项整治 of the 多、乱、杂 plaques: every venue under ``unit`` is checked once."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("整治范围"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    due_on = models.DateField(_("整改期限"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SignageCampaignQuerySet.as_manager()

    class Meta:
        db_table = "venues_signagecampaign"
        ordering = ["-created_at", "-id"]
        verbose_name = _("挂牌整治")
        verbose_name_plural = _("挂牌整治")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="signage_campaign_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class SignageStatus(models.TextChoices):
    COMPLIANT = "compliant", _("规范")
    TO_RECTIFY = "to_rectify", _("待整改")
    RECTIFIED = "rectified", _("已整改")


class SignageCheckQuerySet(ScopedQuerySet):
    scope_fields = ("venue__unit",)


class SignageCheck(models.Model):
    """What actually hangs at one venue in a campaign; missing and extra items become tasks."""

    campaign = models.ForeignKey(
        SignageCampaign, verbose_name=_("挂牌整治"), on_delete=models.CASCADE, related_name="checks"
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="signage_checks"
    )
    status = models.CharField(_("状态"), max_length=12, choices=SignageStatus.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_on = models.DateField(_("检查日期"))
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SignageCheckQuerySet.as_manager()

    class Meta:
        db_table = "venues_signagecheck"
        ordering = ["-checked_on", "-id"]
        verbose_name = _("挂牌检查")
        verbose_name_plural = _("挂牌检查")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "venue"], name="signage_check_unique"),
            models.CheckConstraint(
                condition=~Q(status="rectified") | Q(rectified_on__isnull=False),
                name="signage_rectified_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.venue}"


class SignageVerdict(models.TextChoices):
    OK = "ok", _("规范")
    MISSING = "missing", _("缺少")
    EXTRA = "extra", _("多挂（应撤除）")


class SignageEntry(models.Model):
    check_record = models.ForeignKey(
        SignageCheck, verbose_name=_("挂牌检查"), on_delete=models.CASCADE, related_name="entries"
    )
    standard = models.ForeignKey(
        SignageStandard,
        verbose_name=_("标准项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=8, choices=SignageKind.choices)
    verdict = models.CharField(_("结论"), max_length=8, choices=SignageVerdict.choices)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        db_table = "venues_signageentry"
        ordering = ["check_record_id", "id"]
        verbose_name = _("挂牌明细")
        verbose_name_plural = _("挂牌明细")
        constraints = [
            models.CheckConstraint(
                condition=Q(standard__isnull=True, verdict="extra")
                | Q(standard__isnull=False, verdict__in=["ok", "missing"]),
                name="signage_entry_verdict_matches_standard",
            )
        ]

    def __str__(self) -> str:
        return self.name


# --- inspections (实地指导) and rectification tasks ----------------------------------------


class ChecklistQuerySet(models.QuerySet):
    def active(self) -> ChecklistQuerySet:
        return self.filter(is_active=True)


class Checklist(models.Model):
    """A configurable inspection checklist (环境卫生, 阵地标识, 氛围营造 …) with scores."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    pass_ratio = models.DecimalField(
        _("及格线（得分率）"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.60"),
        help_text=_("单项得分低于满分的该比例即为不合格，生成整改任务"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        db_table = "venues_checklist"
        ordering = ["-is_active", "name"]
        verbose_name = _("检查清单")
        verbose_name_plural = _("检查清单")
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_ratio__gt=0, pass_ratio__lte=1), name="checklist_pass_ratio"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("检查清单"), on_delete=models.CASCADE, related_name="items"
    )
    category = models.CharField(_("类别"), max_length=20)
    text = models.CharField(_("检查内容"), max_length=200)
    max_score = models.PositiveSmallIntegerField(_("满分"), default=10)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        db_table = "venues_checklistitem"
        ordering = ["checklist_id", "order", "id"]
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        constraints = [
            models.CheckConstraint(condition=Q(max_score__gte=1), name="checklist_item_max_score")
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.text}"


class InspectionQuerySet(ScopedQuerySet):
    scope_fields = ("venue__unit",)


class Inspection(models.Model):
    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="inspections"
    )
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("检查清单"), on_delete=models.PROTECT, related_name="+"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指导人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visited_on = models.DateField(_("指导日期"), db_index=True)
    score = models.PositiveSmallIntegerField(_("得分"))
    max_score = models.PositiveSmallIntegerField(_("满分"))
    notes = models.TextField(_("指导意见"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        db_table = "venues_inspection"
        ordering = ["-visited_on", "-id"]
        verbose_name = _("实地指导")
        verbose_name_plural = _("实地指导")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__lte=F("max_score")), name="inspection_score_within_max"
            )
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.venue}"

    @property
    def ratio(self) -> float | None:
        return self.score / self.max_score if self.max_score else None


class InspectionScore(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("实地指导"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("得分"))
    passed = models.BooleanField(_("合格"))
    note = models.CharField(_("问题说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        db_table = "venues_inspectionscore"
        ordering = ["inspection_id", "item__order", "id"]
        verbose_name = _("检查得分")
        verbose_name_plural = _("检查得分")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"


class TaskSource(models.TextChoices):
    INSPECTION = "inspection", _("实地指导")
    SIGNAGE = "signage", _("挂牌整治")


class TaskQuerySet(ScopedQuerySet):
    scope_fields = ("venue__unit",)

    def open(self) -> TaskQuerySet:
        return self.filter(closed_on__isnull=True)


class RectificationTask(models.Model):
    """整改任务: a failed inspection item or a missing/extra plaque, followed to closure."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="tasks"
    )
    source = models.CharField(_("来源"), max_length=12, choices=TaskSource.choices)
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("实地指导"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    signage_check = models.ForeignKey(
        SignageCheck,
        verbose_name=_("挂牌检查"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    description = models.CharField(_("整改内容"), max_length=300)
    due_on = models.DateField(_("整改期限"), db_index=True)
    closed_on = models.DateField(_("完成日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closing_note = models.CharField(_("整改情况"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        db_table = "venues_rectificationtask"
        ordering = ["closed_on", "due_on", "id"]
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    source="inspection", inspection__isnull=False, signage_check__isnull=True
                )
                | Q(source="signage", signage_check__isnull=False, inspection__isnull=True),
                name="task_source_matches_link",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(closing_note=""),
                name="task_closed_has_note",
            ),
        ]

    def __str__(self) -> str:
        return self.description
