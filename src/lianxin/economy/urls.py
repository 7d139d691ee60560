"""村级集体经济: the summary by town, a town's villages, the entry form, import and export."""

from django.urls import path

from lianxin.economy import views

app_name = "economy"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("towns/<int:pk>/", views.town, name="town"),
    path("villages/<int:pk>/<int:year>/", views.entry, name="entry"),
    path("import/", views.ledger_import, name="import"),
    path("export/", views.ledger_export, name="export"),
]
