from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lianxin.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        # Pillow's own decompression-bomb limit follows the photo pixel cap from the start, so an
        # image opened anywhere (e.g. a form's ImageField) is held to the same limit.
        from lianxin.core.photos import max_pixels

        max_pixels()
