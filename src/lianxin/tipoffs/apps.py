from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipoffsConfig(AppConfig):
    name = "lianxin.tipoffs"
    label = "tipoffs"
    verbose_name = _("查处举报")

    def ready(self) -> None:
        from lianxin.tipoffs import checks  # noqa: F401  (registers the key check)
