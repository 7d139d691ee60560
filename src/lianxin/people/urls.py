from django.urls import path

from lianxin.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/reveal/", views.person_reveal_view, name="person_reveal"),
    path("export.xlsx", views.person_export, name="person_export"),
    path("households/", views.household_list, name="household_list"),
    path("households/export.xlsx", views.household_export, name="household_export"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/new/", views.household_new, name="household_new"),
    path("households/<int:household_pk>/members/new/", views.person_new, name="person_new"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("party-members/", views.party_member_list, name="party_member_list"),
]
