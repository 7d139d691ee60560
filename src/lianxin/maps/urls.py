from django.urls import path

from lianxin.maps import views

app_name = "maps"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("points.json", views.points, name="points"),
    path("grids.json", views.grids, name="grids"),
    path("hot-spots.json", views.hot_spots, name="hot_spots"),
]
