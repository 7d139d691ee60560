"""/api/docs: the Swagger UI of the JSON API lives at /api/v1/docs (django-ninja's page)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from lianxin.core.decorators import public_view


@public_view
def docs(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("api:openapi-view"))
