from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    name = "lianxin.field"
    label = "field"
    verbose_name = _("离线走访")
