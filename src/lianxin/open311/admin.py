"""The GeoReport attributes of each category, kept by the system administrator."""

from django.contrib import admin

from lianxin.open311.models import ServiceAttribute


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin):
    list_display = ["category", "code", "description", "datatype", "required", "order", "is_active"]
    list_filter = ["datatype", "required", "is_active"]
    search_fields = ["code", "description", "category__name", "category__code"]
    list_select_related = ["category"]
