"""Configuration of the category tree and its deadline rules (限时办结) by the system administrator."""

from django.contrib import admin

from lianxin.cases.models import Category, DeadlineRule


class DeadlineRuleInline(admin.TabularInline):
    model = DeadlineRule
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "default_priority", "sort_order", "is_active"]
    list_filter = ["is_active", "default_priority"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    inlines = [DeadlineRuleInline]
