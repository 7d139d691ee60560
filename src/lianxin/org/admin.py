from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lianxin.org.models import Membership, ResidenceClaim, Unit
from lianxin.org.services import unit_path


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code", "division_code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "depth", "created_at", "updated_at"]
    list_select_related = ["parent"]
    fieldsets = (
        (None, {"fields": ("name", "kind", "code", "division_code", "parent")}),
        (_("联系"), {"fields": ("address", "phone", "lat", "lng")}),
        (_("网格边界"), {"fields": ("boundary",), "classes": ["collapse"]}),
        (_("系统"), {"fields": ("is_active", "path", "depth", "created_at", "updated_at")}),
    )

    def save_model(self, request, obj, form, change):
        # The path derives from the parent; moving a unit with descendants is not offered here.
        if not change:
            obj.path = unit_path(obj.parent, obj.code)
            obj.depth = obj.parent.depth + 1 if obj.parent else 0
        super().save_model(request, obj, form, change)

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
