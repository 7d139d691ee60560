from django.urls import path

from lianxin.org import views, views_residence, views_tree

app_name = "org"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("u/<str:code>/", views.unit_detail, name="unit_detail"),
    path("u/<str:code>/new/", views_tree.unit_new, name="unit_new"),
    path("u/<str:code>/rename/", views_tree.unit_rename, name="unit_rename"),
    path("u/<str:code>/close/", views_tree.unit_close, name="unit_close"),
    path("u/<str:code>/move/", views_tree.unit_move, name="unit_move"),
    path("u/<str:code>/members/add/", views_tree.alliance_member_add, name="alliance_member_add"),
    path(
        "u/<str:code>/members/<int:pk>/remove/",
        views_tree.alliance_member_remove,
        name="alliance_member_remove",
    ),
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
