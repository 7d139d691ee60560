from django.urls import path

from lianxin.venues import views

app_name = "venues"

urlpatterns = [
    path("", views.venue_list, name="venue_list"),
    path("<int:pk>/", views.venue_detail, name="venue_detail"),
    path("new/", views.venue_create, name="venue_create"),
    path("<int:pk>/edit/", views.venue_edit, name="venue_edit"),
    path("<int:pk>/hazards/", views.hazard_add, name="hazard_add"),
    path("hazards/<int:pk>/resolve/", views.hazard_resolve, name="hazard_resolve"),
    path("<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", views.photo_file, name="photo_file"),
    path("export.xlsx", views.venue_export, name="venue_export"),
    path("import/", views.venue_import, name="venue_import"),
    path("<int:pk>/board/", views.venue_board, name="venue_board"),
    path("duty/<int:pk>/photo/", views.duty_photo, name="duty_photo"),
    path("<int:pk>/roster/", views.venue_roster, name="venue_roster"),
    path("<int:pk>/roster/copy/", views.roster_copy, name="roster_copy"),
    path("duty/<int:pk>/remove/", views.duty_remove, name="duty_remove"),
    path("<int:pk>/certificates/", views.certificate_add, name="certificate_add"),
    path("certificates/", views.certificate_warnings, name="certificate_warnings"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/mine/", views.campaign_mine, name="campaign_mine"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/chase/", views.campaign_chase, name="campaign_chase"),
    path("campaigns/<int:pk>/fill/<int:unit_id>/", views.campaign_fill, name="campaign_fill"),
    path("plans/", views.plan_list, name="plan_list"),
    path("<int:pk>/plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/advance/", views.plan_advance, name="plan_advance"),
]
