"""The organisation tree and who holds a role where.

One tree of units with a materialised ``path`` built from the units' codes, so "everything
under this town" is one indexed ``path LIKE '/62.../620524001000/%'`` and never a recursive
walk. Administrative units carry their official 12-digit division code (统计用区划代码).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.org.querysets import ScopedQuerySet


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市州")
    COUNTY = "county", _("县区")
    TOWN = "town", _("乡镇")
    STREET = "street", _("街道")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格")
    MICRO_GRID = "micro_grid", _("微网格")
    DEPARTMENT = "department", _("职能部门")
    PARTY_ORG = "party_org", _("党组织")
    ENTERPRISE = "enterprise", _("企业")
    SOCIAL_ORG = "social_org", _("社会组织")
    PROPERTY_PROJECT = "property_project", _("物业项目")
    ALLIANCE = "alliance", _("党建联合体")


ADMINISTRATIVE_KINDS = frozenset(
    {
        UnitKind.PROVINCE,
        UnitKind.CITY,
        UnitKind.COUNTY,
        UnitKind.TOWN,
        UnitKind.STREET,
        UnitKind.VILLAGE,
        UnitKind.COMMUNITY,
    }
)
TOWN_KINDS = frozenset({UnitKind.TOWN, UnitKind.STREET})
VILLAGE_KINDS = frozenset({UnitKind.VILLAGE, UnitKind.COMMUNITY})
GRID_KINDS = frozenset({UnitKind.GRID, UnitKind.MICRO_GRID})

# Which kinds may hang under which; None means "a root".
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    UnitKind.PROVINCE: {None},
    UnitKind.CITY: {UnitKind.PROVINCE},
    UnitKind.COUNTY: {UnitKind.CITY, None},
    UnitKind.TOWN: {UnitKind.COUNTY},
    UnitKind.STREET: {UnitKind.COUNTY},
    UnitKind.VILLAGE: {UnitKind.TOWN, UnitKind.STREET},
    UnitKind.COMMUNITY: {UnitKind.TOWN, UnitKind.STREET},
    UnitKind.GRID: {UnitKind.VILLAGE, UnitKind.COMMUNITY, UnitKind.TOWN, UnitKind.STREET},
    UnitKind.MICRO_GRID: {UnitKind.GRID},
    UnitKind.DEPARTMENT: {UnitKind.COUNTY, UnitKind.TOWN, UnitKind.STREET},
    UnitKind.ENTERPRISE: {*ADMINISTRATIVE_KINDS - {UnitKind.PROVINCE, UnitKind.CITY}},
    UnitKind.SOCIAL_ORG: {*ADMINISTRATIVE_KINDS - {UnitKind.PROVINCE, UnitKind.CITY}},
    UnitKind.PROPERTY_PROJECT: {UnitKind.COMMUNITY},
    UnitKind.ALLIANCE: {UnitKind.COUNTY, UnitKind.TOWN, UnitKind.STREET},
    # a party organisation hangs in the unit it belongs to (or the level above it)
    UnitKind.PARTY_ORG: {
        *ADMINISTRATIVE_KINDS - {UnitKind.PROVINCE},
        UnitKind.GRID,
        UnitKind.DEPARTMENT,
        UnitKind.ENTERPRISE,
        UnitKind.SOCIAL_ORG,
        UnitKind.PROPERTY_PROJECT,
        UnitKind.PARTY_ORG,
        UnitKind.ALLIANCE,
    },
}


def kinds_allowed_under(parent_kind: str | None) -> list[str]:
    """The kinds that may hang under a unit of ``parent_kind``, in the order of ``UnitKind``."""
    return [k for k in UnitKind.values if parent_kind in ALLOWED_PARENTS.get(k, {parent_kind})]


class PartyOrgForm(models.TextChoices):
    """How a party organisation of 两新组织 is set up (两新 coverage)."""

    SINGLE = "single", _("单独组建")
    JOINT = "joint", _("联合组建")
    FUNCTIONAL = "functional", _("功能型")


class UnitQuerySet(ScopedQuerySet):
    scope_fields = ("",)

    def under(self, unit: Unit, *, include_self: bool = True) -> UnitQuerySet:
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def administrative(self) -> UnitQuerySet:
        return self.filter(kind__in=ADMINISTRATIVE_KINDS)


class Unit(models.Model):
    code = models.CharField(_("编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=400, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("层级"), default=0, editable=False)
    division_code = models.CharField(_("统计用区划代码"), max_length=12, blank=True, db_index=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # GeoJSON geometry (Polygon/MultiPolygon) for grids; a point for others.
    boundary = models.JSONField(_("边界"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # 物业项目: the property-management company (an enterprise unit) that runs it.
    management_company = models.ForeignKey(
        "self",
        verbose_name=_("物业服务企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_projects",
    )
    # 党组织: the unit it belongs to (an enterprise, a social organisation, a village ...).
    belongs_to = models.ForeignKey(
        "self",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_orgs",
    )
    party_org_form = models.CharField(
        _("组建方式"), max_length=12, choices=PartyOrgForm.choices, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织单元")
        verbose_name_plural = _("组织单元")
        # PostgreSQL uses a btree for LIKE 'prefix%' only with this operator class (non-C
        # collations); scoping filters on path prefixes everywhere. Other databases ignore it.
        indexes = [
            models.Index(
                fields=["path"], name="org_unit_path_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(division_code="") | models.Q(division_code__regex=r"^\d{12}$"),
                name="unit_division_code_12_digits",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        parent_kind = self.parent.kind if self.parent_id else None
        allowed = ALLOWED_PARENTS.get(self.kind)
        if allowed is not None and parent_kind not in allowed:
            raise ValidationError(
                {"parent": _("“%(kind)s”不能挂在该上级之下。") % {"kind": self.get_kind_display()}}
            )
        if self.kind in ADMINISTRATIVE_KINDS and not self.division_code:
            raise ValidationError({"division_code": _("行政单元必须有 12 位统计用区划代码。")})
        if self.management_company_id and (
            self.kind != UnitKind.PROPERTY_PROJECT
            or self.management_company.kind != UnitKind.ENTERPRISE
        ):
            raise ValidationError(
                {"management_company": _("物业服务企业须是企业，且只用于物业项目。")}
            )
        if (self.belongs_to_id or self.party_org_form) and self.kind != UnitKind.PARTY_ORG:
            raise ValidationError({"belongs_to": _("只有党组织有所属单位和组建方式。")})

    @property
    def is_administrative(self) -> bool:
        return self.kind in ADMINISTRATIVE_KINDS

    def ancestor_paths(self) -> list[str]:
        """Paths of this unit and all its ancestors, root first."""
        parts = [p for p in self.path.split("/") if p]
        return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]

    def ancestors(self, *, include_self: bool = False) -> UnitQuerySet:
        paths = self.ancestor_paths()
        if not include_self:
            paths = paths[:-1]
        return Unit.objects.filter(path__in=paths).order_by("depth")

    def is_under(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


class AllianceMember(models.Model):
    """A member unit of a 党建联合体 (alliance): any unit of the same county."""

    alliance = models.ForeignKey(
        Unit,
        verbose_name=_("党建联合体"),
        on_delete=models.CASCADE,
        related_name="alliance_members",
    )
    member = models.ForeignKey(
        Unit, verbose_name=_("成员单位"), on_delete=models.CASCADE, related_name="alliances"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["alliance", "member__path"]
        verbose_name = _("联合体成员")
        verbose_name_plural = _("联合体成员")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "member"], name="alliance_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.alliance} · {self.member}"


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("县级管理员")
    TOWN_STAFF = "town_staff", _("乡镇（街道）干部")
    VILLAGE_STAFF = "village_staff", _("村（社区）干部")
    GRID_WORKER = "grid_worker", _("网格员")
    DEPT_HANDLER = "dept_handler", _("部门承办人")
    PARTY_MEMBER = "party_member", _("党员/志愿者")
    SUPERVISOR = "supervisor", _("纪检监督")
    RESIDENT = "resident", _("群众")


# Roles that see everything in their unit's subtree (staff scope).
STAFF_ROLES = frozenset(
    {
        Role.COUNTY_ADMIN,
        Role.TOWN_STAFF,
        Role.VILLAGE_STAFF,
        Role.GRID_WORKER,
        Role.DEPT_HANDLER,
        Role.SUPERVISOR,
    }
)
# Order used to pick a user's "main" role for the home page and header.
ROLE_RANK = [
    Role.COUNTY_ADMIN,
    Role.SUPERVISOR,
    Role.TOWN_STAFF,
    Role.DEPT_HANDLER,
    Role.VILLAGE_STAFF,
    Role.GRID_WORKER,
    Role.PARTY_MEMBER,
    Role.RESIDENT,
]


class MembershipQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)

    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True)

    def staff(self) -> MembershipQuerySet:
        return self.filter(role__in=STAFF_ROLES)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    post = models.CharField(_("职务"), max_length=50, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "role"]
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class ResidenceStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")


class ResidenceClaim(models.Model):
    """The community (村/社区) a self-registered resident says they live in, until a clerk of
    that village (or above) confirms or corrects it. Only the confirmed link becomes a resident
    membership, which is what the resident's home area is made of (org.residence)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="residence_claim",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在村（社区）"),
        on_delete=models.PROTECT,
        related_name="residence_claims",
    )
    chosen_unit = models.ForeignKey(
        Unit, verbose_name=_("注册时所选"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ResidenceStatus.choices, default=ResidenceStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("居民所在社区")
        verbose_name_plural = _("居民所在社区")
        indexes = [models.Index(fields=["status", "unit"], name="org_residence_status_unit")]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_status_display()}"
