"""The request page's 打印交办单 / 打印督办单 links (``lianxin.core.panels``): cases knows nothing
of reports; the sheets follow the request's own view permission."""

from __future__ import annotations

from django.template.loader import render_to_string

from lianxin.cases.models import Case


def detail_panels(obj, user) -> list[str]:
    if not isinstance(obj, Case) or not user.has_perm("cases.view_case"):
        return []
    return [render_to_string("reports/partials/case_sheets.html", {"case": obj})]
