"""Background jobs: the venues survey import as upload → job → progress → report → 确认导入;
the owner-only, uncached, expiring result; and the real database queue run by its worker."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from lianxin.audit.models import AuditEvent
from lianxin.jobs.models import Job, JobState
from lianxin.jobs.services import jobs_expire
from lianxin.venues.models import Venue
from lianxin.venues.services import SHEET_COLUMNS

HEADER = [label for _k, label in SHEET_COLUMNS]


def _xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _row(world, **values):
    keys = [k for k, _l in SHEET_COLUMNS]
    base = {
        "unit_code": world.village_a.code,
        "kind": "党群服务中心",
        "name": "东关社区党群服务中心",
        "build_year": 2008,
        "floor_area": 420,
        "office_area": 120,
        "service_area": 260,
    }
    base.update(values)
    return [base.get(k) for k in keys]


def _upload(client, data: bytes, *, dry_run: bool, follow=True):
    form = {"file": SimpleUploadedFile("档案.xlsx", data)}
    if dry_run:
        form["dry_run"] = "on"
    return client.post(reverse("venues:venue_import"), form, follow=follow)


def test_dry_run_reports_what_would_change_and_confirm_imports(world, client, login):
    from tests.venues import factories as f

    f.venue_for(world.village_b, name="张家村党群服务中心", floors=1)
    login(world.users["county_admin"])
    data = _xlsx(
        [
            _row(world),
            _row(
                world,
                unit_code=world.village_b.code,
                name="张家村党群服务中心",
                floors=3,
                build_year=2001,
                floor_area=300,
                office_area=100,
                service_area=150,
                structure="砖混",
                condition="一般",
            ),
            _row(world, unit_code="999999999999"),
        ]
    )
    response = _upload(client, data, dry_run=True)
    job = response.context["job"]
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("jobs:job_detail", args=[job.pk])
    assert job.state == JobState.DONE and (job.done, job.total) == (3, 3)
    assert "试导入（未写入）" in html and "新增 1，更新 1，无变化 0，错误 1 行。" in html
    assert (
        "行 2：新增“东关社区党群服务中心”" in html
        and "行 3：更新“张家村党群服务中心”：层数" in html
    )
    assert "999999999999" in html and 'data-testid="job-confirm"' in html
    assert (
        Venue.objects.count() == 1 and Venue.objects.get().floors == 1
    )  # the dry run wrote nothing
    assert not AuditEvent.objects.filter(action="import").exists()

    response = client.post(reverse("jobs:job_confirm", args=[job.pk]), follow=True)
    real = response.context["job"]
    assert real.pk != job.pk and real.params["dry_run"] is False and real.state == JobState.DONE
    assert "已导入" in response.content.decode()
    assert Venue.objects.count() == 2 and Venue.objects.get(unit=world.village_b).floors == 3
    assert (
        AuditEvent.objects.filter(action="import", actor=world.users["county_admin"]).count() == 1
    )
    # a real run is not confirmable again
    assert client.post(reverse("jobs:job_confirm", args=[real.pk])).status_code == 302
    assert Job.objects.count() == 2


def test_short_rows_long_rows_and_duplicates_are_row_errors_not_500(world, client, login):
    login(world.users["county_admin"])
    short = [
        world.village_a.code,
        None,
        None,
        "党群服务中心",
        "东关社区党群服务中心",
    ]  # 5 of 19 cells
    long = [*_row(world, unit_code=world.village_b.code, name="张家村党群服务中心"), "多余", "=1+1"]
    data = _xlsx([short, long, _row(world)])
    response = _upload(client, data, dry_run=True)
    assert response.status_code == 200
    report = response.context["import_report"]
    assert (report.created, report.total) == (2, 3)
    assert report.errors == [(4, "与第 2 行是同一个阵地，请合并为一行。")]


def test_header_shorter_than_rows_and_header_only(world, client, login):
    login(world.users["county_admin"])
    data = _xlsx(
        [[world.village_a.code, "党群服务中心", "东关社区党群服务中心", 1, 2, 3]],
        header=["区划代码", "场所类型", "名称"],
    )
    response = _upload(client, data, dry_run=False)
    assert response.context["job"].state == JobState.DONE
    assert Venue.objects.get().name == "东关社区党群服务中心"
    response = _upload(client, _xlsx([]), dry_run=True)
    assert response.context["import_report"].total == 0


def test_over_the_row_limit_fails_the_job_in_chinese(world, client, login, settings):
    settings.LIANXIN_IMPORT_MAX_ROWS = 2
    login(world.users["county_admin"])
    response = _upload(client, _xlsx([_row(world)] * 3), dry_run=True)
    job = response.context["job"]
    assert response.status_code == 200 and job.state == JobState.FAILED
    assert "表格超过 2 行数据" in response.content.decode()
    assert not Venue.objects.exists()


def test_not_a_workbook_fails_the_job_without_a_500(world, client, login):
    login(world.users["county_admin"])
    response = _upload(client, b"PK\x03\x04 not really", dry_run=True)
    assert response.status_code == 200
    assert response.context["job"].state == JobState.FAILED
    assert "无法读取该文件" in response.content.decode()


def test_progress_page_polls_with_htmx_and_works_without_js(world, client, login):
    from lianxin.jobs.services import job_start

    owner = world.users["county_admin"]
    job = Job.objects.create(
        kind="x",
        title="排队的任务",
        runner="lianxin.venues.imports.run_import_job",
        owner=owner,
        total=10,
        done=4,
    )
    login(owner)
    html = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert (
        'hx-trigger="every 2s"' in html
        and '<noscript><meta http-equiv="refresh" content="2">' in html
    )
    assert "已处理 4 / 10 行（40%）" in html and 'data-testid="job-reload"' in html
    partial = client.get(reverse("jobs:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "HX-Refresh" not in partial
    finished = job_start(
        owner=owner,
        kind="venues.import",
        title="t",
        runner="lianxin.venues.imports.run_import_job",
        params={"dry_run": True},
        source=_xlsx([_row(world)]),
        source_name="a.xlsx",
    )
    partial = client.get(reverse("jobs:job_detail", args=[finished.pk]), HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true" and "every 2s" not in partial.content.decode()
    assert finished.__class__.objects.get(pk=finished.pk).rows_per_second is not None


def test_result_only_for_its_owner_uncached_audited_and_expiring(world, client, login, settings):
    from tests.venues import factories as f

    settings.LIANXIN_EXPORT_INLINE_ROWS = 0
    f.venue_a(world)
    login(world.users["county_admin"])
    job = client.get(reverse("venues:venue_export"), follow=True).context["job"]
    url = reverse("jobs:job_download", args=[job.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
    assert "no-store" in response["Cache-Control"]
    assert (
        "filename*=UTF-8''%E9%98%B5%E5%9C%B0%E6%A1%A3%E6%A1%88-" in response["Content-Disposition"]
    )
    assert AuditEvent.objects.filter(action="export", target_id=str(job.pk)).exists()
    for other in ("town_a", "town_b"):
        login(world.users[other])
        assert client.get(url).status_code == 404
        assert client.get(reverse("jobs:job_detail", args=[job.pk])).status_code == 404
    path = job.result.path
    assert jobs_expire(now=timezone.now() + timedelta(hours=23)) == 0
    assert jobs_expire(now=timezone.now() + timedelta(hours=25)) == 1
    job.refresh_from_db()
    assert job.state == JobState.EXPIRED and not job.result
    assert not os.path.exists(path)
    login(world.users["county_admin"])
    assert client.get(url).status_code == 404
    assert (
        "结果文件已过期删除"
        in client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    )


def test_owner_who_lost_the_permission_cannot_confirm(world, client, login):
    from lianxin.org.models import Membership

    admin = world.users["county_admin"]
    login(admin)
    job = _upload(client, _xlsx([_row(world)]), dry_run=True).context["job"]
    Membership.objects.filter(user=admin).delete()
    response = client.post(reverse("jobs:job_confirm", args=[job.pk]))
    assert response.status_code in (403, 404)
    assert not Venue.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_database_queue_runs_in_the_worker(settings, client, tmp_path):
    """The default backend: the request only queues; `lianxin db_worker` does the work."""
    from tests.conftest import build_world
    from tests.venues import factories as f

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    world = build_world()
    f.venue_a(world)
    admin = world.users["county_admin"]
    client.force_login(admin, backend="lianxin.accounts.backends.PhoneOrUsernameBackend")
    response = _upload(client, _xlsx([_row(world, floors=4)]), dry_run=False, follow=False)
    job = Job.objects.get()
    assert response.status_code == 302 and job.state == JobState.QUEUED and job.task_id
    assert Venue.objects.get().floors == 2
    html = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "排队中" in html and "every 2s" in html
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.report["import"]["updated"] == 1
    assert Venue.objects.get().floors == 4
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    assert Job.objects.get().finished_at == job.finished_at  # nothing run twice


def test_a_job_the_worker_never_finished_fails_instead_of_spinning(world):
    from lianxin.jobs.services import job_run

    owner = world.users["county_admin"]
    old = Job.objects.create(
        kind="x",
        title="卡住的任务",
        runner="lianxin.venues.imports.run_import_job",
        owner=owner,
        state=JobState.RUNNING,
        created_at=timezone.now() - timedelta(hours=13),
    )
    fresh = Job.objects.create(
        kind="x", title="刚排队", runner="lianxin.venues.imports.run_import_job", owner=owner
    )
    jobs_expire()
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.state == JobState.FAILED and "请重新发起" in old.message
    assert fresh.state == JobState.QUEUED
    assert job_run(job_id=str(old.pk)) == {"skipped": True}  # a late delivery does nothing


def test_new_venues_inserted_together_fall_back_row_by_row_on_a_conflict(world, monkeypatch):
    """Another writer creating one of the chunk's venues meanwhile must not lose the chunk."""
    from django.db import IntegrityError

    from lianxin.venues.imports import venues_import

    def conflict(*args, **kwargs):
        raise IntegrityError("venue_one_service_center_per_unit")

    monkeypatch.setattr(Venue.objects, "bulk_create", conflict)
    data = _xlsx(
        [_row(world), _row(world, unit_code=world.village_b.code, name="张家村党群服务中心")]
    )
    report = venues_import(actor=world.users["county_admin"], data=data, dry_run=False)
    assert (report.created, report.errors) == (2, [])
    assert Venue.objects.count() == 2
    assert AuditEvent.objects.filter(action="create", target_type="venues.venue").count() == 2


def test_large_coverage_export_runs_as_a_job_and_a_vanished_programme_fails_cleanly(
    world, client, login, settings
):
    from lianxin.events.exports import BUILDER
    from lianxin.jobs.exports import RUNNER
    from lianxin.jobs.services import job_start
    from tests.events.factories import make_programme

    settings.LIANXIN_EXPORT_INLINE_ROWS = 0
    prog = make_programme(world)
    login(world.users["town_a"])
    response = client.get(reverse("events:programme_export", args=[prog.pk]), follow=True)
    job = response.context["job"]
    assert job.state == JobState.DONE and job.result_name.startswith("培训覆盖-")
    assert 'data-testid="job-download"' in response.content.decode()
    gone = job_start(
        owner=world.users["town_a"],
        kind="activities.coverage",
        title="t",
        runner=RUNNER,
        params={"pk": 999999, "builder": BUILDER, "rows": 1},
    )
    gone.refresh_from_db()
    assert gone.state == JobState.FAILED and "已不存在" in gone.message
