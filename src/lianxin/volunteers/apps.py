from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "lianxin.volunteers"
    label = "volunteers"
    verbose_name = _("志愿队伍与积分")
