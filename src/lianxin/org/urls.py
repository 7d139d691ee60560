from django.urls import path

from lianxin.org import views, views_residence

app_name = "org"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("u/<str:code>/", views.unit_detail, name="unit_detail"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_new, name="staff_new"),
    path("staff/<int:pk>/end/", views.staff_end, name="staff_end"),
    path("residents/", views_residence.residence_list, name="residence_list"),
    path(
        "residents/<int:pk>/confirm/", views_residence.residence_confirm, name="residence_confirm"
    ),
    path(
        "residents/<int:pk>/correct/", views_residence.residence_correct, name="residence_correct"
    ),
]
