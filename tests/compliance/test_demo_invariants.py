"""Issue 9 item 6, the 阵地规范化 part (moved from tests/venues/test_demo_invariants.py): signage
checks come after their campaign opened; every closed rectification task has its after-photo
(销号 needs one) and none is closed in the future."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from lianxin.compliance.models import RectificationTask, SignageCampaign
from lianxin.compliance.rectification import after_photos

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", households=60, only="org,people,venues,compliance")


def test_demo_signage_checks_and_closed_tasks_agree(demo):
    today = timezone.localdate()
    signage = SignageCampaign.objects.get()
    late = signage.checks.filter(checked_on__lt=timezone.localtime(signage.created_at).date())
    assert not late.exists()

    closed = list(RectificationTask.objects.filter(closed_on__isnull=False))
    assert closed
    assert [t.description for t in closed if not after_photos(t).exists()] == []
    assert [t.description for t in closed if t.closed_on > today] == []
