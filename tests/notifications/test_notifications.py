from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from lianxin.notifications import backends
from lianxin.notifications.models import Notification, NotificationPreference
from lianxin.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_notify_dedupes_and_delivers_on_commit(world, django_capture_on_commit_callbacks, settings):
    settings.LIANXIN_NOTIFICATION_BACKENDS = ["lianxin.notifications.backends.EmailBackend"]
    backends._load.cache_clear()
    user = world.users["grid_a1"]
    user.email = "grid@example.org"
    user.save()
    NotificationPreference.objects.create(user=user, channels={"email": ["warning"]})
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user, user], kind="warning", title="临期", dedupe_key="k1")
        notify(recipients=[user], kind="warning", title="临期", dedupe_key="k1")
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "临期"
    backends._load.cache_clear()


def test_console_backend_logs(world, caplog, django_capture_on_commit_callbacks):
    backends._load.cache_clear()
    caplog.set_level("INFO", logger="lianxin.notifications")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[world.users["grid_a1"]], kind="assigned", title="新派单")
    assert "assigned" in caplog.text


def test_bell_counts_unread_and_mark_read(world, login):
    user = world.users["grid_a1"]
    n = notify(recipients=[user], kind="assigned", title="新诉求", url="/cases/")[0]
    c = login(user)
    r = c.get(reverse("notifications:bell"))
    assert 'data-testid="bell-count">1' in r.content.decode()
    r = c.post(reverse("notifications:mark_read", args=[n.pk]))
    assert r.status_code == 302 and r["Location"] == "/cases/"
    assert "bell-count" not in c.get(reverse("notifications:bell")).content.decode()


def test_others_notifications_are_invisible(world, login):
    n = notify(recipients=[world.users["grid_a1"]], kind="assigned", title="甲的通知")[0]
    c = login(world.users["grid_b1"])
    assert "甲的通知" not in c.get(reverse("notifications:list")).content.decode()
    assert c.post(reverse("notifications:mark_read", args=[n.pk])).status_code == 404
    assert c.get("/api/v1/notifications/").json() == []


def test_assignment_notifies_the_queue(world):
    from tests.cases.factories import make_case

    make_case(world)
    assert Notification.objects.filter(recipient=world.users["grid_a1"], kind="assigned").exists()
    assert not Notification.objects.filter(recipient=world.users["grid_b1"]).exists()
