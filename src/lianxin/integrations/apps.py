from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_api_case_created(sender, *, case, request=None, external_id: str = "", **kwargs) -> None:
    """A request created through the open API by a token: remember its integration."""
    integration = getattr(request, "integration", None) if request is not None else None
    if integration is None:
        return
    from lianxin.integrations.services import record_origin

    record_origin(case=case, integration=integration, external_id=external_id or "")


class IntegrationsConfig(AppConfig):
    name = "lianxin.integrations"
    label = "integrations"
    verbose_name = _("对接管理")

    def ready(self) -> None:
        from lianxin.cases.signals import api_case_created
        from lianxin.integrations import rules  # noqa: F401  (registers the permissions)

        api_case_created.connect(_on_api_case_created, dispatch_uid="integrations.record_origin")
