"""Events, sign-up, check-in, queues, .ics feeds, training and one's own record. Mounted under ``activities/`` (the paths from before the
split, ADR 0008)."""

from django.urls import path

from lianxin.events import views, views_desk, views_exports

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("export.xlsx", views_exports.event_list_export, name="event_list_export"),
    path("new/", views.event_new, name="event_new"),
    path("mine/", views.my_record, name="my_record"),
    path("mine.ics", views.my_ics, name="my_ics"),
    path("ics/<str:code>.ics", views.unit_ics, name="unit_ics"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/register/", views.event_register, name="event_register"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("<int:pk>/sheet/", views.event_sheet, name="event_sheet"),
    path("<int:pk>/attendance.xlsx", views_exports.attendance_export, name="attendance_export"),
    path("<int:pk>/qr.svg", views.event_qr, name="event_qr"),
    path("<int:pk>/door/", views.event_door, name="event_door"),
    path("<int:pk>/hours/", views.hours_confirm, name="hours_confirm"),
    path("<int:pk>/desk/", views_desk.desk_search, name="desk_search"),
    path("<int:pk>/desk/register/", views_desk.desk_register, name="desk_register"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/present/", views.attendance_mark, name="attendance_mark"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("queue/<int:pk>/take/", views.queue_take, name="queue_take"),
    path("queue/<int:pk>/next/", views.queue_next, name="queue_next"),
    path("training/", views.programme_list, name="programme_list"),
    path("training/new/", views.programme_new, name="programme_new"),
    path("training/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("training/<int:pk>/coverage.xlsx", views.programme_export, name="programme_export"),
]
