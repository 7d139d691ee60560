"""挂牌、制度上墙 and 实地指导: checks and visits that turn into tasks followed to closure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lianxin.audit.models import AuditEvent
from lianxin.compliance import selectors, services
from lianxin.compliance.models import RectificationTask, SignageCheck
from tests.compliance import factories as c
from tests.venues import factories as f

pytestmark = pytest.mark.django_db


def test_missing_and_extra_plaques_make_a_rectification_list(world):
    venue = f.venue_a(world)
    standards = c.standards()
    campaign = c.signage_campaign_for(world)
    check = services.signage_check_submit(
        actor=world.users["village_a"],
        campaign=campaign,
        venue=venue,
        present={s.pk for s in standards[2:]},
        extras=["老年协会", "", "计生协会"],
    )
    assert check.status == "to_rectify"
    tasks = sorted(t.description for t in check.tasks.all())
    assert tasks == sorted(
        [
            f"补挂：{standards[0].name}",
            f"补挂：{standards[1].name}",
            "撤除：老年协会",
            "撤除：计生协会",
        ]
    )
    assert all(t.due_on == campaign.due_on for t in check.tasks.all())
    assert check.entries.filter(verdict="extra").count() == 2


def test_complete_standard_set_is_compliant_and_recheck_replaces(world):
    venue = f.venue_a(world)
    campaign = c.signage_campaign_for(world)
    all_ids = {s.pk for s in c.standards()}
    first = services.signage_check_submit(
        actor=world.users["village_a"],
        campaign=campaign,
        venue=venue,
        present=all_ids - {min(all_ids)},
        extras=[],
    )
    assert first.tasks.count() == 1
    again = services.signage_check_submit(
        actor=world.users["village_a"], campaign=campaign, venue=venue, present=all_ids, extras=[]
    )
    assert again.pk == first.pk and again.status == "compliant" and again.tasks.count() == 0


def test_closing_the_last_task_marks_the_venue_rectified(world):
    check = c.signage_check_for(world, f.venue_a(world))
    tasks = list(check.tasks.all())
    assert len(tasks) == 2
    with pytest.raises(ValidationError):
        services.task_close(actor=world.users["village_a"], task=tasks[0], note="")
    with pytest.raises(PermissionDenied):
        services.task_close(actor=world.users["village_b"], task=tasks[0], note="已补挂")
    for task in tasks:
        c.after_photo_for(task)
    services.task_close(actor=world.users["village_a"], task=tasks[0], note="已补挂")
    check.refresh_from_db()
    assert check.status == "to_rectify"
    services.task_close(actor=world.users["village_a"], task=tasks[1], note="已撤除")
    check.refresh_from_db()
    assert check.status == "rectified" and check.rectified_on == timezone.localdate()
    rectified = AuditEvent.objects.get(
        target_type="compliance.signagecheck", target_id=str(check.pk), reason="rectified"
    )
    assert rectified.actor == world.users["village_a"]
    with pytest.raises(ValidationError):
        services.signage_check_submit(
            actor=world.users["village_a"],
            campaign=check.campaign,
            venue=check.venue,
            present=set(),
            extras=[],
        )


def test_signage_progress_by_town(world):
    c.signage_check_for(world, f.venue_a(world))
    f.venue_b(world)
    progress = selectors.signage_progress(
        user=world.users["county_admin"], campaign=c.signage_campaign_for(world)
    )
    assert progress["total"] == {
        "venues": 2,
        "checked": 1,
        "compliant": 0,
        "to_rectify": 1,
        "rectified": 0,
    }
    unchecked = selectors.signage_unchecked(
        user=world.users["county_admin"], campaign=c.signage_campaign_for(world)
    )
    assert [v.unit for v in unchecked] == [world.village_b]


def test_database_refuses_a_rectified_check_without_date(world):
    check = c.signage_check_for(world, f.venue_a(world))
    with pytest.raises(IntegrityError), transaction.atomic():
        SignageCheck.objects.filter(pk=check.pk).update(status="rectified")


def test_inspection_failed_items_become_tasks(world):
    inspection = c.inspection_for(world, f.venue_a(world))
    assert inspection.score == inspection.max_score - inspection.checklist.items.first().max_score
    task = inspection.tasks.get()
    assert task.due_on == inspection.visited_on + timedelta(days=30)
    assert "甲阵地卫生问题" in task.description
    assert inspection.scores.filter(passed=False).count() == 1


def test_inspection_requires_every_score_within_range(world):
    cl = c.checklist()
    items = list(cl.items.all())
    with pytest.raises(ValidationError):
        services.inspection_record(
            actor=world.users["town_a"],
            venue=f.venue_a(world),
            checklist=cl,
            scores={items[0].pk: (5, "")},
        )
    with pytest.raises(ValidationError):
        services.inspection_record(
            actor=world.users["town_a"],
            venue=f.venue_a(world),
            checklist=cl,
            scores={i.pk: (i.max_score + 1, "") for i in items},
        )


def test_checklist_is_configurable(world):
    cl = services.checklist_create(
        actor=world.users["county_admin"],
        name="暖蜂驿站检查",
        lines="环境卫生|驿站整洁|10\n服务功能｜饮水、充电设施可用｜20\n",
    )
    assert [(i.category, i.max_score) for i in cl.items.all()] == [
        ("环境卫生", 10),
        ("服务功能", 20),
    ]
    with pytest.raises(ValidationError):
        services.checklist_create(actor=world.users["county_admin"], name="坏", lines="只有一列")


def test_scores_over_time_by_town(world):
    c.inspection_for(world, f.venue_a(world))
    c.inspection_for(world, f.venue_b(world), failing=False)
    trend = selectors.inspection_scores_by_town(user=world.users["county_admin"])
    rates = {t["name"]: t["cells"][-1]["rate"] for t in trend["towns"]}
    assert rates["洛门镇"] == 1.0 and rates["城关镇"] < 1.0
    assert [
        t["name"] for t in selectors.inspection_scores_by_town(user=world.users["town_b"])["towns"]
    ] == ["洛门镇"]


def test_inspector_fills_the_phone_form(world, client, login):
    venue = f.venue_a(world)
    cl = c.checklist()
    items = list(cl.items.all())
    login(world.users["town_a"])
    url = reverse("compliance:inspection_create", args=[venue.pk])
    assert client.get(url).status_code == 200
    data = {"checklist": cl.pk, "notes": "总体较好"}
    data.update({f"score_{i.pk}": i.max_score for i in items})
    data[f"score_{items[1].pk}"] = 2
    data[f"note_{items[1].pk}"] = "卫生间无人管理"
    response = client.post(url, data)
    inspection = venue.inspections.get()
    assert response["Location"] == reverse("compliance:inspection_detail", args=[inspection.pk])
    assert RectificationTask.objects.get().description == "环境卫生：卫生间无人管理"
    html = client.get(reverse("compliance:task_list")).content.decode()
    assert "卫生间无人管理" in html
    login(world.users["village_a"])
    task = RectificationTask.objects.get()
    c.after_photo_for(task)
    client.post(reverse("compliance:task_close", args=[task.pk]), {"note": "已安排专人保洁"})
    task.refresh_from_db()
    assert task.closed_on is not None and task.closed_by == world.users["village_a"]


def test_signage_pages(world, client, login):
    venue = f.venue_a(world)
    standards = c.standards()
    login(world.users["county_admin"])
    response = client.post(
        reverse("compliance:signage_list"),
        {"name": "专项整治", "due_on": timezone.localdate().isoformat()},
    )
    campaign = c.signage_campaign_for(world).__class__.objects.get(name="专项整治")
    assert response["Location"] == reverse("compliance:signage_detail", args=[campaign.pk])
    login(world.users["village_a"])
    url = reverse("compliance:signage_check", args=[campaign.pk, venue.pk])
    client.post(url, {"present": [s.pk for s in standards], "extras": "妇女之家\n"})
    html = client.get(url).content.decode()
    assert "撤除：妇女之家" in html
    login(world.users["county_admin"])
    detail = client.get(reverse("compliance:signage_detail", args=[campaign.pk])).content.decode()
    assert "妇女之家" in detail and venue.name in detail
    login(world.users["village_a"])
    assert (
        client.post(
            reverse("compliance:signage_list"), {"name": "越权", "due_on": "2030-01-01"}
        ).status_code
        == 403
    )
