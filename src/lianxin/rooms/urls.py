"""功能室预约 URLs: the same paths the rooms had under ``/venues/`` (mounted there), namespace ``rooms``."""

from django.urls import path

from lianxin.rooms import views

app_name = "rooms"

urlpatterns = [
    path("rooms/", views.room_list, name="room_list"),
    path("rooms/<int:pk>/", views.room_book, name="room_book"),
    path("rooms/<int:pk>/checkin/", views.room_checkin, name="room_checkin"),
    path("rooms/<int:pk>/door/", views.room_door, name="room_door"),
    path("rooms/<int:pk>/<str:token>.ics", views.room_ics, name="room_ics"),
    path("<int:pk>/rooms/new/", views.room_add, name="room_add"),
    path("rooms/<int:pk>/edit/", views.room_edit, name="room_edit"),
    path("rooms/<int:pk>/rules/", views.room_rules, name="room_rules"),
    path("rules/<int:pk>/remove/", views.slot_rule_remove, name="slot_rule_remove"),
    path("bookings/", views.booking_mine, name="booking_mine"),
    path("bookings/manage/", views.booking_manage, name="booking_manage"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/decide/", views.booking_decide, name="booking_decide"),
    path("bookings/<int:pk>/no-show/", views.booking_no_show, name="booking_no_show"),
    path("usage/", views.usage, name="usage"),
]
