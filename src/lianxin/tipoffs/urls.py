from django.urls import path

from lianxin.tipoffs import views

app_name = "tipoffs"

urlpatterns = [
    path("", views.tipoff_list, name="list"),
    path("new/", views.file_tipoff, name="file"),
    path("follow/", views.follow, name="follow"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.tipoff_detail, name="detail"),
    path("<int:pk>/step/", views.tipoff_step, name="step"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
]
