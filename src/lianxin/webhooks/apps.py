from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "lianxin.webhooks"
    label = "webhooks"
    verbose_name = _("回传推送")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from lianxin.cases.models import CaseEvent
        from lianxin.webhooks.signals import case_event_saved

        post_save.connect(case_event_saved, sender=CaseEvent, dispatch_uid="webhooks.case_event")
