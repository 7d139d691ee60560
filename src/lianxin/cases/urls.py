from django.urls import path

from lianxin.cases import views, views_categories, views_rates, views_replies, views_reveal
from lianxin.cases.views import callbacks as views_callbacks
from lianxin.cases.views.exports import workbench_export

app_name = "cases"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("export.xlsx", workbench_export, name="workbench_export"),
    path("new/", views.intake, name="intake"),
    path("new/grids/", views.grid_options, name="grid_options"),
    path("enter/", views.staff_intake, name="staff_intake"),
    path("track/", views.track_lookup, name="track_lookup"),
    path("t/<str:code>/", views.track, name="track"),
    path("t/<str:code>/evaluate/", views.evaluate, name="evaluate"),
    path("mine/", views.my_cases, name="my_cases"),
    path("bulk-dispatch/", views.bulk_dispatch, name="bulk_dispatch"),
    path("bulk-dispatch/options/", views.dispatch_options, name="dispatch_options"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/act/<str:action>/", views.case_action, name="case_action"),
    path("<int:pk>/reveal-phone/", views_reveal.reporter_reveal, name="reporter_reveal"),
    path("<int:pk>/callback/", views_callbacks.callback_record, name="callback_record"),
    path("t/<str:code>/photo/<str:token>/", views_callbacks.result_photo, name="result_photo"),
    path("photos/<str:token>/", views.photo, name="photo"),
    path("poster/<int:pk>/", views.poster, name="poster"),
    path("rates/", views_rates.rates, name="rates"),
    path("ranking/", views_rates.ranking, name="ranking"),
    path("ranking/export/", views_rates.ranking_export, name="ranking_export"),
    path("categories/", views_categories.category_list, name="category_list"),
    path("categories/new/", views_categories.category_create, name="category_create"),
    path("categories/<int:pk>/edit/", views_categories.category_edit, name="category_edit"),
    path("categories/<int:pk>/rules/", views_categories.category_rules, name="category_rules"),
    path(
        "categories/<int:pk>/deactivate/",
        views_categories.category_deactivate,
        name="category_deactivate",
    ),
    path(
        "categories/<int:pk>/activate/",
        views_categories.category_activate,
        name="category_activate",
    ),
    path("categories/<int:pk>/delete/", views_categories.category_delete, name="category_delete"),
    path("replies/", views_replies.reply_list, name="reply_list"),
    path("replies/new/", views_replies.reply_create, name="reply_create"),
    path("replies/<int:pk>/edit/", views_replies.reply_edit, name="reply_edit"),
    path("replies/<int:pk>/deactivate/", views_replies.reply_deactivate, name="reply_deactivate"),
    path("replies/<int:pk>/activate/", views_replies.reply_activate, name="reply_activate"),
]
