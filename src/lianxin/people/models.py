"""Residents in households, and party members.

ID and phone numbers are stored whole (the office needs them) but leave the server
masked unless an authorised user asks to reveal them, which is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.masking import mask_id_number, mask_name, mask_phone
from lianxin.core.validators import validate_id_number, validate_phone
from lianxin.org.scoping import ScopedQuerySet


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class HouseholdQuerySet(ScopedQuerySet):
    scope_fields = ("grid",)


class Household(models.Model):
    """户: a dwelling and the people registered in it, placed in one grid."""

    number = models.CharField(_("户号"), max_length=40, unique=True)
    grid = models.ForeignKey(
        "org.Unit", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="households"
    )
    address = models.CharField(_("住址"), max_length=200)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)  # 独居老人, 低保户, 留守儿童 …
    # The create form's one-submission token (core.idempotency): the same POST twice is one row.
    form_token = models.CharField(
        _("提交令牌"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("户")
        verbose_name_plural = _("户")

    def __str__(self) -> str:
        return f"{self.number} {self.address}"


class PersonQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)


class Person(models.Model):
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = models.CharField(
        _("身份证号"), max_length=18, blank=True, validators=[validate_id_number], db_index=True
    )
    phone = models.CharField(_("手机号"), max_length=11, blank=True, validators=[validate_phone])
    household = models.ForeignKey(
        Household,
        verbose_name=_("所在户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    relation = models.CharField(_("与户主关系"), max_length=20, blank=True)
    # The unit the person belongs to for scoping: their grid, or their employer/party org.
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("所属单元"), on_delete=models.PROTECT, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    form_token = models.CharField(
        _("提交令牌"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "name", "id"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~models.Q(id_number=""),
                name="person_id_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)


class PartyMemberQuerySet(ScopedQuerySet):
    scope_fields = ("party_org", "person__unit")


class PartyMember(models.Model):
    person = models.OneToOneField(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="party_member"
    )
    party_org = models.ForeignKey(
        "org.Unit",
        verbose_name=_("所在党组织"),
        on_delete=models.PROTECT,
        related_name="party_members",
    )
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    post = models.CharField(_("党内职务"), max_length=50, blank=True)
    is_probationary = models.BooleanField(_("预备党员"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PartyMemberQuerySet.as_manager()

    class Meta:
        ordering = ["party_org__path", "person__name"]
        verbose_name = _("党员")
        verbose_name_plural = _("党员")

    def __str__(self) -> str:
        return str(self.person)
