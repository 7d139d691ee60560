from django.urls import path

from lianxin.triage import views

app_name = "triage"

urlpatterns = [
    path("intake-check/", views.intake_check, name="intake_check"),
    path("attach/<int:pk>/", views.attach, name="attach"),
    path("cases/<int:pk>/", views.case_panel, name="case_panel"),
    path("cases/<int:pk>/merge/<int:into>/", views.merge, name="merge"),
    path("workbench/", views.workbench_hints, name="workbench"),
]
