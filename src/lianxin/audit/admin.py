from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lianxin.audit.models import AuditEvent
from lianxin.core.masking import mask_login


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    # Login names that are phone numbers are masked like every other phone; the search still
    # finds a row by the full number (an administrator who has it may look it up).
    list_display = [
        "created_at",
        "masked_actor",
        "action",
        "masked_target",
        "outcome",
        "ip_address",
    ]
    exclude = ["actor_name", "target_repr"]
    readonly_fields = ["masked_actor", "masked_target"]
    list_filter = ["action", "outcome"]
    search_fields = ["actor_name", "target_repr", "reason"]
    date_hierarchy = "created_at"

    @admin.display(description=_("操作人账号"), ordering="actor_name")
    def masked_actor(self, obj):
        return mask_login(obj.actor_name)

    @admin.display(description=_("对象"), ordering="target_repr")
    def masked_target(self, obj):
        return mask_login(obj.target_repr)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
