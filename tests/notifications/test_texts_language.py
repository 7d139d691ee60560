"""督办 notifications read in the reader's language (issue 9 item 7): the sweep stores the
title and body as msgid + params, so an English reader sees English, a Chinese reader Chinese,
and outbound channels keep the Chinese text."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from lianxin.notifications.i18n import msg, render
from lianxin.notifications.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _supervise_notifications(world):
    from lianxin.cases.sweep import deadline_sweep
    from tests.cases.factories import make_case

    t0 = datetime(2025, 6, 3, 9, 0, tzinfo=TZ)
    make_case(world, now=t0, title="路灯不亮")
    with translation.override("zh-hans"):
        deadline_sweep(now=t0 + timedelta(hours=25))
    return list(Notification.objects.filter(kind="supervise"))


def test_supervise_title_and_body_follow_the_readers_language(world):
    notes = _supervise_notifications(world)
    assert notes
    for n in notes:
        assert n.title == "督办：路灯不亮"  # stored Chinese for SMS / e-mail
        with translation.override("en"):
            assert n.shown_title == "Supervision: 路灯不亮"
            assert n.shown_body == "Accept is overdue (deadline 2025-06-04 09:00)."
        with translation.override("zh-hans"):
            assert n.shown_title == "督办：路灯不亮"
            assert n.shown_body == "签收已超时（时限 2025-06-04 09:00）。"


def test_notification_list_in_english(world, client, login):
    notes = _supervise_notifications(world)
    login(notes[0].recipient)
    client.cookies["lianxin_language"] = "en"
    page = client.get("/notifications/").content.decode()
    assert "Supervision: 路灯不亮" in page and "督办：" not in page


def test_a_broken_stored_message_falls_back_to_the_stored_text():
    assert render(msg("督办：%(title)s"), "原文") == "原文"  # params missing
    assert render({"nonsense": 1}, "原文") == "原文"
    assert render(None, "原文") == "原文"


def test_deadline_warnings_follow_the_readers_language(world):
    from lianxin.cases.sweep import deadline_sweep
    from tests.cases.factories import make_case

    t0 = datetime(2025, 6, 3, 9, 0, tzinfo=TZ)
    make_case(world, now=t0, title="路灯不亮")
    with translation.override("zh-hans"):
        deadline_sweep(now=t0 + timedelta(hours=21))
    warnings = list(Notification.objects.filter(kind="warning"))
    assert warnings
    with translation.override("en"):
        assert all(
            "即将" not in n.shown_title and n.shown_title.endswith("路灯不亮") for n in warnings
        )
