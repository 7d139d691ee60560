from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomsConfig(AppConfig):
    name = "lianxin.rooms"
    label = "rooms"
    verbose_name = _("功能室预约")
