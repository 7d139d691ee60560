"""The audit log list at any length (issue 16, 1): keyset pages by time and id, a bounded count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_the_log_pages_by_cursor_and_counts_up_to_the_bound(
    world, client, login, settings, monkeypatch
):
    monkeypatch.setattr("lianxin.audit.views.PER_PAGE", 3)
    settings.LIANXIN_LIST_COUNT_BOUND = 5
    made = {
        audit_record(
            action=AuditAction.EXPORT, actor=world.users["village_a"], reason=f"导出{i}"
        ).pk
        for i in range(8)
    }
    login(world.users["county_admin"])
    url = reverse("audit:audit_list") + "?action=export"
    r = client.get(url)
    assert "共 5+ 条" in r.content.decode()
    seen = [e.pk for e in r.context["page_obj"]]
    while r.context["page_obj"].has_next:
        r = client.get(url + "&cursor=" + r.context["page_obj"].next_cursor)
        assert r.status_code == 200
        seen += [e.pk for e in r.context["page_obj"]]
    expected = list(
        AuditEvent.objects.filter(action="export")
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )
    assert seen == expected and made <= set(seen)  # every row once, newest first
    assert 'data-testid="audit-pager"' in r.content.decode() and "第 3 页" in r.content.decode()
    prev = client.get(url + "&cursor=" + r.context["page_obj"].previous_cursor)
    assert [e.pk for e in prev.context["page_obj"]] == expected[3:6]
    garbled = client.get(url + "&cursor=not-a-cursor")
    assert (
        garbled.status_code == 200 and [e.pk for e in garbled.context["page_obj"]] == expected[:3]
    )
