"""Monthly briefs per unit, and the printable sheets of one request."""

from django.urls import path

from lianxin.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:pk>/", views.unit_reports, name="unit"),
    path("units/<int:pk>/generate/", views.generate, name="generate"),
    path("<int:pk>/brief.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/brief.xlsx", views.report_xlsx, name="report_xlsx"),
    path("cases/<int:pk>/assign.pdf", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/supervise.pdf", views.case_supervise, name="case_supervise"),
]
