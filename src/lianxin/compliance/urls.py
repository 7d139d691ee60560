"""Routes of 阵地规范化, mounted under /venues/ (src/lianxin/urls.py): the paths are the ones
they had in the venues app, only their names moved to ``compliance:``."""

from django.urls import path

from lianxin.compliance import views, views_exports, views_rectification

app_name = "compliance"

urlpatterns = [
    path("signage/", views.signage_list, name="signage_list"),
    path("signage/<int:pk>/", views.signage_detail, name="signage_detail"),
    path("signage/<int:pk>/check/<int:venue_id>/", views.signage_check, name="signage_check"),
    path("inspections/", views.inspection_overview, name="inspection_overview"),
    path("inspections/export.xlsx", views_exports.inspection_export, name="inspection_export"),
    path("plans/export.xlsx", views_exports.plan_export, name="plan_export"),
    path("inspections/checklists/new/", views.checklist_create, name="checklist_create"),
    path("<int:pk>/inspect/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/close/", views_rectification.task_close, name="task_close"),
]
