from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandsConfig(AppConfig):
    name = "lianxin.brands"
    label = "brands"
    verbose_name = _("党建品牌与合理化建议")
