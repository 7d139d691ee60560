from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lianxin.audit"
    label = "audit"
    verbose_name = _("审计")

    def ready(self) -> None:
        from lianxin.audit.services import audit_record
        from lianxin.core.registry import register_audit_recorder

        register_audit_recorder(audit_record)
