"""Teams, model posts, responsibility areas, the points ranking and point rules. Mounted under ``activities/`` (the paths from before the
split, ADR 0008)."""

from django.urls import path

from lianxin.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/members/", views.team_member_add, name="team_member_add"),
    path("teams/<int:pk>/members/remove/", views.team_member_remove, name="team_member_remove"),
    path("posts/", views.post_list, name="post_list"),
    path("posts/new/", views.post_new, name="post_new"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/areas/", views.area_add, name="area_add"),
    path("posts/<int:pk>/card/", views.post_card, name="post_card"),
    path("points/", views.ranking, name="ranking"),
    path("points/export.xlsx", views.hours_export, name="hours_export"),
    path("points/rules/", views.point_rules, name="point_rules"),
    path("points/people/<int:pk>/", views.person_record, name="person_record"),
]
