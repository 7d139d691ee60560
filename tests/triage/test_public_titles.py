"""The public intake check shows nearby requests' titles to anyone: a phone or an ID number a
resident typed into a title is masked there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.cases.factories import make_case
from tests.triage.test_views import FORM, LAT, LNG

pytestmark = pytest.mark.django_db


def test_numbers_in_a_nearby_title_are_masked_for_the_public(client, world):

    make_case(
        world,
        title="路灯不亮 请回电13811112222",
        description="人民路路灯坏了一个星期，晚上黑乎乎的",
        lat=LAT,
        lng=LNG,
    )
    html = client.post(reverse("triage:intake_check"), FORM).content.decode()
    assert "附近已有类似诉求" in html
    assert "138****2222" in html
    assert "13811112222" not in html
