from django.urls import path

from lianxin.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("days/new/", views.day_create, name="day_create"),
    path("days/<int:pk>/edit/", views.day_edit, name="day_edit"),
    path("days/<int:pk>/delete/", views.day_delete, name="day_delete"),
    path("years/<int:year>/complete/", views.year_complete, name="year_complete"),
    path("years/<int:year>/reopen/", views.year_reopen, name="year_reopen"),
    path("import/", views.schedule_import, name="import"),
]
