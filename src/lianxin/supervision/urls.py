from django.urls import path

from lianxin.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("export.xlsx", views.order_export, name="order_export"),
    path("new/", views.order_new, name="order_new"),
    path("<int:pk>/", views.order_detail, name="order_detail"),
    path("ranking/", views.ranking, name="ranking"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_new, name="decision_new"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
]
