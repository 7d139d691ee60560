"""党建品牌 and 合理化建议. Mounted under ``activities/`` (the paths from before the
split, ADR 0008)."""

from django.urls import path

from lianxin.brands import views

app_name = "brands"

urlpatterns = [
    path("brands/", views.brand_list, name="brand_list"),
    path("brands/new/", views.brand_new, name="brand_new"),
    path("brands/<int:pk>/", views.brand_detail, name="brand_detail"),
    path("brands/<int:pk>/decide/", views.brand_decide, name="brand_decide"),
    path("brands/<int:pk>/review/", views.brand_review, name="brand_review"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/review/", views.proposal_review, name="proposal_review"),
    path("proposals/<int:pk>/implement/", views.proposal_implement, name="proposal_implement"),
]
