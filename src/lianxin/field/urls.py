from django.urls import path

from lianxin.field import views

app_name = "field"

urlpatterns = [
    path("", views.shell, name="shell"),
    path("data.json", views.data, name="data"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="sw"),
    path("sync/visit", views.sync_visit, name="sync_visit"),
    path("sync/case", views.sync_case, name="sync_case"),
]
