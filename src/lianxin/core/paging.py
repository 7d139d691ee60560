from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator

from lianxin.core.params import get_page


def paginate(request, queryset, per_page: int | None = None) -> Page:
    """One page of ``queryset``; a bad or out-of-range page number gives the nearest page."""
    paginator = Paginator(queryset, per_page or settings.LIANXIN_PAGE_SIZE)
    return paginator.get_page(get_page(request.GET))
