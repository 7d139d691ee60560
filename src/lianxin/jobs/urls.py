from django.urls import path

from lianxin.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<uuid:pk>/", views.job_detail, name="job_detail"),
    path("<uuid:pk>/download/", views.job_download, name="job_download"),
    path("<uuid:pk>/confirm/", views.job_confirm, name="job_confirm"),
]
