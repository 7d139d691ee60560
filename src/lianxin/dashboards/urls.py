from django.urls import path

from lianxin.core.dbrouter import replica_urls
from lianxin.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.unit_dashboard, name="unit"),
    path("<int:pk>/<str:key>/list/", views.drill, name="drill"),
    path("<int:pk>/<str:key>/chart.svg", views.chart, name="chart"),
]
replica_urls(urlpatterns)  # their GETs read from the replica when it is usable
