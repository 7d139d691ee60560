from django.urls import path

from lianxin.notifications import views, views_delivery

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views_delivery.preferences, name="preferences"),
    path("deliveries/", views_delivery.delivery_log, name="deliveries"),
]
