from django.contrib import admin
from django.urls import include, path, re_path

from lianxin.api import views as api_views
from lianxin.api.urls import api

urlpatterns = [
    path("", include("lianxin.core.urls")),
    path("accounts/", include("lianxin.accounts.urls")),
    path("org/", include("lianxin.org.urls")),
    path("people/", include("lianxin.people.urls")),
    path("audit/", include("lianxin.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    re_path(r"^api/docs/?$", api_views.docs, name="api_docs"),
    path("api/v1/", api.urls),
]

# Modules built on the foundation register their own URLs here when present.
for _prefix, _module in [
    ("notifications/", "lianxin.notifications.urls"),
    ("cases/", "lianxin.cases.urls"),
    ("venues/", "lianxin.venues.urls"),
    ("venues/", "lianxin.rooms.urls"),
    ("venues/", "lianxin.compliance.urls"),
    ("wishes/", "lianxin.wishes.urls"),
    ("activities/", "lianxin.events.urls"),
    ("activities/", "lianxin.volunteers.urls"),
    ("activities/", "lianxin.brands.urls"),
    ("workdays/", "lianxin.workdays.urls"),
    ("jobs/", "lianxin.jobs.urls"),
    ("economy/", "lianxin.economy.urls"),
    ("grids/", "lianxin.grids.urls"),
    ("visits/", "lianxin.visits.urls"),
    ("field/", "lianxin.field.urls"),
    ("map/", "lianxin.maps.urls"),
    ("dashboards/", "lianxin.dashboards.urls"),
    ("reports/", "lianxin.reports.urls"),
    ("tipoffs/", "lianxin.tipoffs.urls"),
    ("surveys/", "lianxin.surveys.urls"),
    ("deliberation/", "lianxin.deliberation.urls"),
    ("supervision/", "lianxin.supervision.urls"),
    ("triage/", "lianxin.triage.urls"),
    ("integrations/", "lianxin.integrations.urls"),
    ("open311/", "lianxin.open311.urls"),
    ("webhooks/", "lianxin.webhooks.urls"),
    ("me/data/", "lianxin.privacy.urls"),
]:
    try:
        __import__(_module)
    except ModuleNotFoundError as exc:
        if exc.name != _module:
            raise
        continue
    urlpatterns.append(path(_prefix, include(_module)))

handler400 = "lianxin.core.views.bad_request"
handler403 = "lianxin.core.views.permission_denied"
handler404 = "lianxin.core.views.page_not_found"
handler500 = "lianxin.core.views.server_error"
