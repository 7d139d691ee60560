from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "lianxin.jobs"
    label = "jobs"
    verbose_name = _("后台任务")

    def ready(self) -> None:
        # Apps of jobs' own layer (people) export through core.registry.export_response.
        from lianxin.core.registry import register_export_responder
        from lianxin.jobs.exports import export_response

        register_export_responder(export_response)
