"""Confirming a dry run whose uploaded file has gone (cleaned up, lost with a volume) says so in
Chinese and writes nothing — it was a 500 (FileNotFoundError) while the file's name was stored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.jobs.models import Job
from lianxin.venues.models import Venue
from tests.jobs.test_jobs import _row, _upload, _xlsx

pytestmark = pytest.mark.django_db


def test_confirm_with_the_source_file_gone_is_refused_in_chinese(world, client, login):
    login(world.users["county_admin"])
    job = _upload(client, _xlsx([_row(world)]), dry_run=True).context["job"]
    assert job.source and job.source.storage.exists(job.source.name)
    job.source.storage.delete(job.source.name)

    response = client.post(reverse("jobs:job_confirm", args=[job.pk]), follow=True)

    assert response.status_code == 200
    assert "上传的文件已过期，请重新上传。" in response.content.decode()
    assert not Venue.objects.exists() and Job.objects.count() == 1
