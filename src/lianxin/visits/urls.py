from django.urls import path

from lianxin.visits import views

app_name = "visits"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("new/", views.visit_new, name="visit_new"),
    path("<int:pk>/", views.visit_detail, name="visit_detail"),
    path("household/<int:pk>/", views.household_history, name="household_history"),
    path("coverage/", views.coverage, name="coverage"),
]
