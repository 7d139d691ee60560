from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "lianxin.workdays"
    label = "workdays"
    verbose_name = _("节假日安排")
