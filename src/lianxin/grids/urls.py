from django.urls import path

from lianxin.grids import views

app_name = "grids"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/map/", views.map_editor, name="map"),
    path("<str:code>/new/", views.grid_new, name="grid_new"),
    path("<str:code>/boundary/<str:grid>/", views.boundary_save, name="boundary_save"),
    path("<str:code>/import/", views.boundary_import, name="import"),
    path("<str:code>/export/", views.boundary_export, name="export"),
    path("<str:code>/regrid/", views.regrid, name="regrid"),
    path("<str:code>/staff/", views.staff, name="staff"),
    path("<str:code>/staff/people/", views.leader_people, name="leader_people"),
    path("<str:code>/card/", views.card, name="card"),
]
