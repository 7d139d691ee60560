from django.urls import path

from lianxin.core import elder, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("elder/", elder.elder_mode, name="elder_mode"),
]
