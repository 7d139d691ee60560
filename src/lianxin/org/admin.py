from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lianxin.org import tree
from lianxin.org.models import AllianceMember, Membership, ResidenceClaim, Unit, UnitKind
from lianxin.org.services import membership_grant, membership_revoke, unit_create

_UNIT_EXTRA_FIELDS = (
    "address",
    "phone",
    "lat",
    "lng",
    "boundary",
    "is_active",
    "management_company",
    "belongs_to",
    "party_org_form",
)


def membership_admin_save(request, membership: Membership) -> Membership:
    """Save a membership edited in the admin through the services, so every role change there
    is audited like any other (``membership_grant``/``membership_revoke``, actor: the admin).

    A new row is a grant; an existing row whose user, unit or role changed ends the old role and
    grants the new one; switching ``is_active`` off revokes, on (or a new post) re-grants.
    """
    actor = request.user
    if membership.pk is None:
        granted = membership_grant(
            user=membership.user,
            unit=membership.unit,
            role=membership.role,
            post=membership.post,
            actor=actor,
        )
        if not membership.is_active:
            membership_revoke(membership=granted, actor=actor)
        return granted
    old = Membership.objects.select_related("user", "unit").get(pk=membership.pk)
    same_role = (old.user_id, old.unit_id, old.role) == (
        membership.user_id,
        membership.unit_id,
        membership.role,
    )
    if not same_role:
        if old.is_active:
            membership_revoke(membership=old, actor=actor)
        if not membership.is_active:
            return old
        return membership_grant(
            user=membership.user,
            unit=membership.unit,
            role=membership.role,
            post=membership.post,
            actor=actor,
        )
    if membership.is_active and (not old.is_active or old.post != membership.post):
        return membership_grant(
            user=old.user, unit=old.unit, role=old.role, post=membership.post, actor=actor
        )
    if old.is_active and not membership.is_active:
        membership_revoke(membership=old, actor=actor)
    return old


def membership_admin_delete(request, membership: Membership) -> None:
    """Deleting a role in the admin ends it (audited); the row stays for the record."""
    if membership.is_active:
        membership_revoke(membership=membership, actor=request.user)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent", "is_active"]
    list_filter = ["kind", "is_active", "party_org_form"]
    search_fields = ["name", "code", "division_code"]
    autocomplete_fields = ["parent", "management_company", "belongs_to"]
    readonly_fields = ["path", "depth", "created_at", "updated_at"]
    list_select_related = ["parent"]
    fieldsets = (
        (None, {"fields": ("name", "kind", "code", "division_code", "parent")}),
        (
            _("组织关系"),
            {
                "fields": ("management_company", "belongs_to", "party_org_form"),
                "description": _("物业项目填写物业服务企业；党组织填写所属单位和组建方式。"),
            },
        ),
        (_("联系"), {"fields": ("address", "phone", "lat", "lng")}),
        (_("网格边界"), {"fields": ("boundary",), "classes": ["collapse"]}),
        (_("系统"), {"fields": ("is_active", "path", "depth", "created_at", "updated_at")}),
    )

    def save_model(self, request, obj, form, change):
        """A new unit is made by ``unit_create`` (path from the parent, validated, audited);
        moving a unit with descendants is not offered here (code and parent are read-only)."""
        if change:
            super().save_model(request, obj, form, change)
            return
        created = unit_create(
            code=obj.code,
            name=obj.name,
            kind=obj.kind,
            parent=obj.parent,
            division_code=obj.division_code,
            actor=request.user,
            **{f: getattr(obj, f) for f in _UNIT_EXTRA_FIELDS},
        )
        for f in ("pk", "path", "depth", "created_at", "updated_at"):
            setattr(obj, f, getattr(created, f))
        obj._state.adding, obj._state.db = False, created._state.db

    def get_readonly_fields(self, request, obj=None):
        ro = list(super().get_readonly_fields(request, obj))
        return [*ro, "code", "parent"] if obj is not None else ro


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "post", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__display_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]

    def save_model(self, request, obj, form, change):
        saved = membership_admin_save(request, obj)
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db

    def delete_model(self, request, obj):
        membership_admin_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "unit"):
            membership_admin_delete(request, membership)


@admin.register(ResidenceClaim)
class ResidenceClaimAdmin(admin.ModelAdmin):
    """Read-only: clerks confirm on the 待确认居民 screen, which audits each decision."""

    list_display = ["user", "unit", "chosen_unit", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "user__display_name", "unit__name"]
    list_select_related = ["user", "unit", "chosen_unit", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AllianceMemberAdminForm(forms.ModelForm):
    class Meta:
        model = AllianceMember
        fields = ["alliance", "member"]

    def clean(self):
        """The rule of ``tree.alliance_member_add`` checked before saving, so the admin shows
        the refusal on the form: a 党建联合体, an active member of the same county."""
        data = super().clean()
        alliance, member = data.get("alliance"), data.get("member")
        if alliance is None or member is None:
            return data
        if alliance.kind != UnitKind.ALLIANCE:
            raise ValidationError(_("只有党建联合体可以添加成员单位。"))
        if member.pk == alliance.pk or not member.is_active:
            raise ValidationError(_("不能添加这个成员单位。"))
        if tree.county_of(member) is None or tree.county_of(member) != tree.county_of(alliance):
            raise ValidationError(_("成员单位须在本县。"))
        return data


@admin.register(AllianceMember)
class AllianceMemberAdmin(admin.ModelAdmin):
    """党建联合体 members. Adding and removing go through ``tree.alliance_member_add`` and
    ``alliance_member_remove`` (checked and audited); a row is never edited in place."""

    form = AllianceMemberAdminForm
    list_display = ["alliance", "member", "created_at"]
    search_fields = ["alliance__name", "alliance__code", "member__name", "member__code"]
    autocomplete_fields = ["alliance", "member"]
    list_select_related = ["alliance", "member"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        row = tree.alliance_member_add(actor=request.user, alliance=obj.alliance, member=obj.member)
        obj.pk, obj._state.adding, obj._state.db = row.pk, False, row._state.db

    def delete_model(self, request, obj):
        tree.alliance_member_remove(actor=request.user, row=obj)

    def delete_queryset(self, request, queryset):
        for row in queryset.select_related("alliance", "member"):
            tree.alliance_member_remove(actor=request.user, row=row)
