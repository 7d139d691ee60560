"""微心愿: a resident's small wish, published by staff, claimed once, lit with a photo, confirmed.

Qingyang lit 1.8万 micro-wishes this way. The invariant that matters most is "never two
claimants": a wish has at most one active claim (a partial unique constraint on
``WishClaim``), and the claim service locks the wish row before writing it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.core.masking import mask_name
from lianxin.core.models import TimeStampedModel
from lianxin.org.scoping import ScopedQuerySet


class WishCategory(models.TextChoices):
    DAILY = "daily", _("生活用品")
    STUDY = "study", _("学习用品")
    ELDER_CARE = "elder_care", _("助老服务")
    HEALTH = "health", _("医疗健康")
    REPAIR = "repair", _("维修帮办")
    CULTURE = "culture", _("文化娱乐")
    OTHER = "other", _("其他")


class WishStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("待认领")
    DECLINED = "declined", _("未通过")
    CLAIMED = "claimed", _("已认领")
    LIT = "lit", _("已点亮")
    CONFIRMED = "confirmed", _("已确认")


class ClaimantKind(models.TextChoices):
    PARTY_MEMBER = "party_member", _("党员")
    VOLUNTEER = "volunteer", _("志愿者")
    TEAM = "team", _("服务队")
    UNIT = "unit", _("单位")


CLAIMED_STATES = (WishStatus.CLAIMED, WishStatus.LIT, WishStatus.CONFIRMED)
LIT_STATES = (WishStatus.LIT, WishStatus.CONFIRMED)
# A wish published this many days ago and still unclaimed is listed for chasing (催办).
STALE_AFTER_DAYS = 7


class WishQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)  # the beneficiary's grid

    def published(self) -> WishQuerySet:
        return self.filter(status=WishStatus.PUBLISHED)

    def lit(self) -> WishQuerySet:
        return self.filter(status__in=LIT_STATES)

    def on_wall(self) -> WishQuerySet:
        """What the public wall may show: published, claimed or lit, never pending or declined."""
        return self.filter(status__in=(WishStatus.PUBLISHED, *CLAIMED_STATES))


class Wish(TimeStampedModel):
    # The beneficiary's grid (or village when no grid is known): the scoping unit.
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="wishes"
    )
    # The village or community, denormalised for the public wall and the per-community counts.
    community = models.ForeignKey(
        "org.Unit",
        verbose_name=_("所在村（社区）"),
        on_delete=models.PROTECT,
        related_name="community_wishes",
    )
    title = models.CharField(_("心愿"), max_length=60)
    content = models.TextField(_("详细说明"), max_length=1000, blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=WishCategory.choices)
    value = models.DecimalField(
        _("估计价值（元）"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    beneficiary = models.ForeignKey(
        "people.Person",
        verbose_name=_("心愿人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wishes",
    )
    beneficiary_name = models.CharField(_("心愿人姓名"), max_length=50)
    beneficiary_tag = models.CharField(
        _("心愿人类别"), max_length=20, blank=True
    )  # 独居老人, 留守儿童 …
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="posted_wishes",
    )
    on_behalf = models.BooleanField(_("代为提交"), default=False)
    # The form's one-time token: a double-tapped or replayed submission makes one wish.
    submission_key = models.CharField(_("提交标识"), max_length=36, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=WishStatus.choices, default=WishStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    decline_reason = models.CharField(_("未通过原因"), max_length=200, blank=True)
    # The current claimant (copied from the active WishClaim so lists need no join).
    claimant_kind = models.CharField(
        _("认领方类型"), max_length=16, choices=ClaimantKind.choices, blank=True
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认领人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_wishes",
    )
    claimant_team = models.ForeignKey(
        "volunteers.Team",
        verbose_name=_("认领队伍"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_wishes",
    )
    claimant_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("认领单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_wishes",
    )
    claimant_name = models.CharField(_("认领方"), max_length=100, blank=True)
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    lit_at = models.DateTimeField(_("点亮时间"), null=True, blank=True)
    lit_note = models.CharField(_("点亮说明"), max_length=300, blank=True)
    lit_photo = models.FileField(_("点亮照片"), upload_to="wishes/%Y/%m/", blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    thanks = models.CharField(_("感谢的话"), max_length=300, blank=True)
    # Set by the caller (the demo back-dates wishes) and indexed: overrides the stamp.
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)

    objects = WishQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("微心愿")
        verbose_name_plural = _("微心愿")
        indexes = [
            models.Index(fields=["community", "status", "published_at"], name="wish_comm_status"),
            models.Index(fields=["status", "published_at"], name="wish_status_pub"),
            models.Index(fields=["claimed_by", "status"], name="wish_claimant_status"),
            models.Index(fields=["lit_at"], name="wish_lit_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="wish_value_non_negative"
            ),
            models.UniqueConstraint(
                fields=["posted_by", "submission_key"],
                condition=~Q(submission_key=""),
                name="wish_submission_once",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=CLAIMED_STATES)
                | (Q(claimed_at__isnull=False) & ~Q(claimant_kind="")),
                name="wish_claimed_has_claimant",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=LIT_STATES) | Q(lit_at__isnull=False),
                name="wish_lit_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=WishStatus.DECLINED) | ~Q(decline_reason=""),
                name="wish_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def beneficiary_masked(self) -> str:
        return mask_name(self.beneficiary_name)

    def days_waiting(self, now=None) -> int | None:
        """Days since publication for a wish nobody has claimed yet (it ages visibly)."""
        if self.status != WishStatus.PUBLISHED or self.published_at is None:
            return None
        return max(0, ((now or timezone.now()) - self.published_at).days)

    @property
    def is_stale(self) -> bool:
        days = self.days_waiting()
        return days is not None and days >= STALE_AFTER_DAYS


class WishClaim(TimeStampedModel):
    """One claim (认领); at most one is active per wish — enforced by the database."""

    wish = models.ForeignKey(
        Wish, verbose_name=_("微心愿"), on_delete=models.CASCADE, related_name="claims"
    )
    kind = models.CharField(_("认领方类型"), max_length=16, choices=ClaimantKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认领人"),
        on_delete=models.PROTECT,
        related_name="wish_claims",
    )
    team = models.ForeignKey(
        "volunteers.Team",
        verbose_name=_("认领队伍"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("认领单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("有效"), default=True)
    released_at = models.DateTimeField(_("放弃时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)  # set by the caller

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("认领记录")
        verbose_name_plural = _("认领记录")
        constraints = [
            models.UniqueConstraint(
                fields=["wish"], condition=Q(is_active=True), name="wish_one_active_claim"
            ),
            models.CheckConstraint(
                condition=Q(is_active=True) | Q(released_at__isnull=False),
                name="wish_claim_released_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wish_id} · {self.user_id}"


class WishEventKind(models.TextChoices):
    POSTED = "posted", _("提交心愿")
    PUBLISHED = "published", _("审核发布")
    DECLINED = "declined", _("审核未通过")
    CLAIMED = "claimed", _("认领")
    RELEASED = "released", _("放弃认领")
    LIT = "lit", _("点亮")
    CONFIRMED = "confirmed", _("确认实现")
    THANKED = "thanked", _("致谢")
    CHASED = "chased", _("催办")


class WishEvent(TimeStampedModel):
    """The wish's timeline: every state change, who made it and when."""

    wish = models.ForeignKey(
        Wish, verbose_name=_("微心愿"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事件"), max_length=12, choices=WishEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)  # set by the caller

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("心愿动态")
        verbose_name_plural = _("心愿动态")

    def __str__(self) -> str:
        return f"{self.wish_id} {self.kind}"
