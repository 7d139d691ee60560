from django.urls import path

from lianxin.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("download.json", views.my_data_json, name="download_json"),
    path("download.xlsx", views.my_data_xlsx, name="download_xlsx"),
    path("corrections/new/", views.correction_new, name="correction_new"),
    path("corrections/", views.correction_list, name="correction_list"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction_detail"),
]
