"""村级集体经济: the summary by town, a town's villages, the entry form, import and export;
the 两新组织 and 党建联合体 ledgers."""

from django.urls import path

from lianxin.economy import views, views_ledgers

app_name = "economy"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("towns/<int:pk>/", views.town, name="town"),
    path("villages/<int:pk>/<int:year>/", views.entry, name="entry"),
    path("import/", views.ledger_import, name="import"),
    path("export/", views.ledger_export, name="export"),
    path("two-new/", views_ledgers.two_new, name="two_new"),
    path("two-new/export/", views_ledgers.two_new_export, name="two_new_export"),
    path("two-new/<int:pk>/new-economy/", views_ledgers.two_new_mark, name="two_new_mark"),
    path("alliances/", views_ledgers.alliance_list, name="alliances"),
    path("alliances/export/", views_ledgers.alliance_export, name="alliances_export"),
    path("alliances/<int:pk>/", views_ledgers.alliance_detail, name="alliance"),
]
