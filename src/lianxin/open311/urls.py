"""GeoReport v2 under /open311/v2/: each path in JSON or XML by its extension."""

from django.urls import re_path

from lianxin.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, views.services, name="services"),
    re_path(
        r"^v2/services/(?P<service_code>[-\w]{1,40})" + FMT,
        views.service_definition,
        name="service_definition",
    ),
    re_path(r"^v2/requests" + FMT, views.requests, name="requests"),
    re_path(
        r"^v2/requests/(?P<service_request_id>[-\w]{1,20})" + FMT,
        views.request_detail,
        name="request_detail",
    ),
    re_path(r"^v2/tokens/(?P<token>[-\w]{1,40})" + FMT, views.token_detail, name="token_detail"),
]
