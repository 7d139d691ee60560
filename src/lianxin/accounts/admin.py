from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import User
from lianxin.org.models import Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    # A phone-number login name is masked like the phone itself (the search still finds it).
    list_display = ["display_login", "display_name", "masked_phone", "is_active", "is_superuser"]
    search_fields = ["username", "display_name", "phone"]
    list_filter = ["is_active", "is_superuser", "memberships__role"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("display_name", "phone", "email", "photo")}),
        (
            _("权限"),
            {"fields": ("is_active", "is_staff", "is_superuser", "must_change_password")},
        ),
        (_("时间"), {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )

    def save_formset(self, request, form, formset, change):
        """Roles edited on the account go through the membership services (audited)."""
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        from lianxin.org.admin import membership_admin_delete, membership_admin_save

        formset.save(commit=False)
        for membership in formset.deleted_objects:
            membership_admin_delete(request, membership)
        for membership in formset.new_objects:
            membership_admin_save(request, membership)
        for membership, _changed in formset.changed_objects:
            membership_admin_save(request, membership)

    def save_model(self, request, obj, form, change):
        # Disabling in the admin must end the account's sessions too (等保).
        disabled = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if disabled:
            from lianxin.accounts.services import user_disable

            user_disable(user=obj, actor=request.user, request=request)

    @admin.display(description=_("登录名"), ordering="username")
    def display_login(self, obj):
        return obj.display_login

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj):
        from lianxin.core.masking import mask_phone

        return mask_phone(obj.phone)
