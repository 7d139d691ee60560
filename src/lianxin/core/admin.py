from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("连心桥 管理后台")
admin.site.site_title = _("连心桥")
admin.site.index_title = _("系统管理")
