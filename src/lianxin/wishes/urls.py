from django.urls import path

from lianxin.wishes import views

app_name = "wishes"

urlpatterns = [
    path("", views.wish_list, name="wish_list"),
    path("new/", views.wish_new, name="wish_new"),
    path("claim/", views.claimable, name="claimable"),
    path("mine/", views.mine, name="mine"),
    path("stale/", views.stale, name="stale"),
    path("stats/", views.stats, name="stats"),
    path("stats.xlsx", views.stats_export, name="stats_export"),
    path("wall/<str:code>/", views.wall, name="wall"),
    path("<int:pk>/", views.wish_detail, name="wish_detail"),
    path("<int:pk>/publish/", views.wish_publish, name="wish_publish"),
    path("<int:pk>/decline/", views.wish_decline, name="wish_decline"),
    path("<int:pk>/chase/", views.wish_chase, name="wish_chase"),
    path("<int:pk>/claim/", views.wish_claim, name="wish_claim"),
    path("<int:pk>/release/", views.wish_release, name="wish_release"),
    path("<int:pk>/light/", views.wish_light, name="wish_light"),
    path("<int:pk>/confirm/", views.wish_confirm, name="wish_confirm"),
    path("<int:pk>/thank/", views.wish_thank, name="wish_thank"),
    path("<int:pk>/photo/", views.wish_photo, name="wish_photo"),
]
