from django.urls import path

from lianxin.org import views

app_name = "org"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("u/<str:code>/", views.unit_detail, name="unit_detail"),
]
