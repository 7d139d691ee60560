from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "lianxin.economy"
    label = "economy"
    verbose_name = _("村级集体经济")
