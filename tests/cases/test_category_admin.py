"""诉求分类与时限 (issue 9 item 4): the county administrator keeps the categories and their
deadline rules on a screen, audited; a changed rule applies to requests dispatched afterwards
only, and nobody else may open the screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lianxin.audit.models import AuditEvent
from lianxin.cases import category_admin as svc
from lianxin.cases.models import Category, DeadlineRule
from tests.cases.factories import category, make_case


def _rules_post(category, **overrides):
    """A rules-form POST: every priority with its own rule (24 h / 5 workdays) unless overridden."""
    data = {"version": svc.rules_version(category)}
    for p in ("normal", "urgent", "critical"):
        data.update(
            {
                f"{p}_accept_amount": "4",
                f"{p}_accept_unit": "hours",
                f"{p}_resolve_amount": "2",
                f"{p}_resolve_unit": "workdays",
            }
        )
    data.update(overrides)
    return data


# --- the rule applies to new requests only ----------------------------------------------------


def test_changed_rule_applies_to_new_requests_only(world, client, login):
    light = category("infra-light")  # inherits 基础设施: normal 24 h / 10 working days
    old = make_case(world, cat="infra-light")
    old_accept, old_resolve = old.accept_due_at, old.resolve_due_at
    assert old_accept == old.dispatched_at + timedelta(hours=24)

    login(world.users["county_admin"])
    r = client.post(
        reverse("cases:category_rules", args=[light.pk]),
        _rules_post(
            light, normal_accept_amount="6", normal_resolve_amount="12", normal_resolve_unit="hours"
        ),
    )
    assert r.status_code == 302, r.content.decode()[:2000]

    old.refresh_from_db()
    assert (old.accept_due_at, old.resolve_due_at) == (old_accept, old_resolve)
    new = make_case(world, cat="infra-light")
    assert new.accept_due_at == new.dispatched_at + timedelta(hours=6)
    assert new.resolve_due_at == new.dispatched_at + timedelta(hours=12)
    # A sibling that still inherits from 基础设施 keeps the parent's rule.
    road = make_case(world, cat="infra-road")
    assert road.accept_due_at == road.dispatched_at + timedelta(hours=24)


def test_rules_change_is_audited_with_before_and_after(world):
    admin = world.users["county_admin"]
    light = category("infra-light")
    svc.deadline_rules_update(
        actor=admin,
        category=light,
        rules={"urgent": svc.RuleInput(2, "hours", 1, "workdays")},
        version=svc.rules_version(light),
    )
    event = AuditEvent.objects.get(target_type="cases.category", target_id=str(light.pk))
    assert event.action == "update" and event.actor == admin
    assert event.extra["before"]["urgent"] is None  # it inherited before
    assert event.extra["after"]["urgent"] == [2, "hours", 1, "workdays"]
    # Back to inheriting: the own rule goes, and that too is audited.
    svc.deadline_rules_update(
        actor=admin, category=light, rules={"urgent": None}, version=svc.rules_version(light)
    )
    assert not DeadlineRule.objects.filter(category=light).exists()
    last = AuditEvent.objects.filter(target_id=str(light.pk)).order_by("-id").first()
    assert last.extra["before"]["urgent"] == [2, "hours", 1, "workdays"]
    assert last.extra["after"]["urgent"] is None


def test_saving_unchanged_rules_writes_no_audit_row(world):
    admin = world.users["county_admin"]
    env = category("env")
    current = {
        r.priority: svc.RuleInput(r.accept_amount, r.accept_unit, r.resolve_amount, r.resolve_unit)
        for r in DeadlineRule.objects.filter(category=env)
    }
    svc.deadline_rules_update(
        actor=admin, category=env, rules=current, version=svc.rules_version(env)
    )
    assert not AuditEvent.objects.filter(target_type="cases.category").exists()


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"normal_accept_amount": "0"}, "请输入正整数。"),
        ({"normal_accept_amount": "-3"}, "请输入正整数。"),
        ({"normal_accept_amount": "abc"}, "请输入正整数。"),
        ({"normal_accept_amount": ""}, "请填写时限，或勾选“沿用”。"),
        ({"normal_resolve_amount": "61"}, "不能超过 60 工作日"),
        ({"normal_accept_amount": "721"}, "不能超过 720"),
        ({"normal_accept_amount": "99999999999999999999"}, "不能超过"),
        ({"normal_accept_unit": "weeks"}, "选择一个有效的选项"),
        (
            {
                "urgent_accept_amount": "5",
                "urgent_accept_unit": "hours",
                "urgent_resolve_amount": "4",
                "urgent_resolve_unit": "hours",
            },
            "紧急的签收时限不能长于办结时限。",
        ),
        (
            {
                "urgent_accept_amount": "2",
                "urgent_accept_unit": "workdays",
                "urgent_resolve_amount": "24",
                "urgent_resolve_unit": "hours",
            },
            "1 个工作日按 24 小时比较",
        ),
    ],
)
def test_bad_rules_are_refused_with_a_message_not_a_500(world, client, login, overrides, message):
    light = category("infra-light")
    login(world.users["county_admin"])
    r = client.post(
        reverse("cases:category_rules", args=[light.pk]), _rules_post(light, **overrides)
    )
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not DeadlineRule.objects.filter(category=light).exists()
    assert not AuditEvent.objects.filter(target_type="cases.category").exists()


def test_equal_accept_and_resolve_is_allowed(world):
    light = category("infra-light")
    svc.deadline_rules_update(
        actor=world.users["county_admin"],
        category=light,
        rules={"critical": svc.RuleInput(1, "workdays", 24, "hours")},
    )
    assert DeadlineRule.objects.get(category=light, priority="critical").resolve_amount == 24


def test_service_refuses_out_of_range_amounts_itself(world):
    light = category("infra-light")
    with pytest.raises(ValidationError) as exc:
        svc.deadline_rules_update(
            actor=world.users["county_admin"],
            category=light,
            rules={"normal": svc.RuleInput(0, "hours", 100, "workdays")},
        )
    assert set(exc.value.message_dict) == {"normal_accept_amount", "normal_resolve_amount"}


def test_stale_rules_edit_is_refused_and_shows_the_current_values(world, client, login):
    light = category("infra-light")
    page_version = svc.rules_version(light)
    # Someone else saves first.
    svc.deadline_rules_update(
        actor=world.users["county_admin"],
        category=light,
        rules={"normal": svc.RuleInput(8, "hours", 3, "workdays")},
        version=page_version,
    )
    login(world.users["county_admin"])
    data = _rules_post(light, version=page_version, normal_accept_amount="2")
    r = client.post(reverse("cases:category_rules", args=[light.pk]), data)
    assert r.status_code == 200
    page = r.content.decode()
    assert "已被他人修改" in page
    assert "8 小时" in page  # the rule now stored, in 当前生效的规则
    assert DeadlineRule.objects.get(category=light, priority="normal").accept_amount == 8
    # The page carries the new version: saving again, having seen the change, goes through.
    assert f'value="{svc.rules_version(light)}"' in page
    data["version"] = svc.rules_version(light)
    assert client.post(reverse("cases:category_rules", args=[light.pk]), data).status_code == 302
    assert DeadlineRule.objects.get(category=light, priority="normal").accept_amount == 2


# --- categories: create, rename, deactivate, delete --------------------------------------------


def test_create_rename_deactivate_and_delete(world, client, login):
    login(world.users["county_admin"])
    env = category("env")
    r = client.post(
        reverse("cases:category_create"),
        {
            "code": "env-noise",
            "name": "噪声扰民",
            "name_en": "Noise",
            "parent": env.pk,
            "default_priority": "normal",
            "sort_order": "5",
        },
    )
    assert r.status_code == 302
    noise = Category.objects.get(code="env-noise")
    assert (noise.parent, noise.name_en, noise.is_active) == (env, "Noise", True)
    assert r["Location"] == reverse("cases:category_rules", args=[noise.pk])
    # A new child inherits its parent's rules.
    page = client.get(reverse("cases:category_list")).content.decode()
    assert "噪声扰民" in page and "沿用上级" in page

    r = client.post(
        reverse("cases:category_edit", args=[noise.pk]),
        {
            "name": "噪声污染",
            "name_en": "Noise pollution",
            "default_priority": "urgent",
            "sort_order": "6",
            "version": svc.category_version(noise),
        },
    )
    assert r.status_code == 302
    noise.refresh_from_db()
    assert (noise.name, noise.default_priority) == ("噪声污染", "urgent")
    event = AuditEvent.objects.filter(target_id=str(noise.pk), action="update").get()
    assert (
        event.extra["before"]["name"] == "噪声扰民" and event.extra["after"]["name"] == "噪声污染"
    )

    option = "环境卫生 · 噪声污染</option>"
    assert option in client.get(reverse("cases:staff_intake")).content.decode()
    assert client.post(reverse("cases:category_deactivate", args=[noise.pk])).status_code == 302
    noise.refresh_from_db()
    assert not noise.is_active
    assert option not in client.get(reverse("cases:staff_intake")).content.decode()
    assert client.post(reverse("cases:category_activate", args=[noise.pk])).status_code == 302
    noise.refresh_from_db()
    assert noise.is_active

    assert client.post(reverse("cases:category_delete", args=[noise.pk])).status_code == 302
    assert not Category.objects.filter(code="env-noise").exists()
    assert set(
        AuditEvent.objects.filter(target_type="cases.category").values_list("action", flat=True)
    ) == {"create", "update", "delete"}


def test_category_in_use_cannot_be_deleted_only_deactivated(world, client, login):
    case = make_case(world, cat="infra-light")
    light = category("infra-light")
    login(world.users["county_admin"])
    r = client.post(reverse("cases:category_delete", args=[light.pk]), follow=True)
    assert r.status_code == 200 and "不能删除" in r.content.decode()
    assert Category.objects.filter(pk=light.pk).exists()
    client.post(reverse("cases:category_deactivate", args=[light.pk]))
    light.refresh_from_db()
    assert not light.is_active
    case.refresh_from_db()
    assert case.category_id == light.pk and case.accept_due_at is not None


def test_parent_with_active_children_is_not_deactivated(world, client, login):
    infra = category("infra")
    login(world.users["county_admin"])
    r = client.post(reverse("cases:category_deactivate", args=[infra.pk]), follow=True)
    assert "请先停用该分类下的子分类" in r.content.decode()
    infra.refresh_from_db()
    assert infra.is_active


def test_bad_category_input_is_refused_with_a_message(world, client, login):
    login(world.users["county_admin"])
    env = category("env")
    light = category("infra-light")
    cases = [
        ({"code": "Bad Code!", "name": "x"}, "编码只能由小写字母"),
        ({"code": "env", "name": "重复编码"}, "已被使用"),
        ({"code": "env-2", "name": "垃圾清运", "parent": env.pk}, "同一上级下已有名为"),
        ({"code": "env-3", "name": "=cmd", "parent": env.pk}, "公式符号"),
        ({"code": "env-4", "name": "   "}, "这个字段是必填项"),
        ({"code": "env-5", "name": "子的子", "parent": light.pk}, "选择一个有效的选项"),
        ({"code": "env-6", "name": "排序", "sort_order": "99999"}, "不大于"),
    ]
    for data, message in cases:
        post = {"default_priority": "normal", "sort_order": "0", **data}
        r = client.post(reverse("cases:category_create"), post)
        assert r.status_code == 200, data
        assert message in r.content.decode(), (data, message)
    assert (
        not Category.objects.filter(code__startswith="env-")
        .exclude(code__in=["env-garbage", "env-sewage", "env-green"])
        .exists()
    )


def test_stale_rename_is_refused(world, client, login):
    light = category("infra-light")
    version = svc.category_version(light)
    svc.category_update(
        actor=world.users["county_admin"],
        category=light,
        name="路灯",
        default_priority="normal",
        sort_order=light.sort_order,
        version=version,
    )
    login(world.users["county_admin"])
    r = client.post(
        reverse("cases:category_edit", args=[light.pk]),
        {
            "name": "路灯照明维修",
            "default_priority": "normal",
            "sort_order": "1",
            "version": version,
        },
    )
    assert r.status_code == 200 and "已被他人修改" in r.content.decode()
    light.refresh_from_db()
    assert light.name == "路灯"


def test_unknown_category_is_404(world, client, login):
    login(world.users["county_admin"])
    assert client.get(reverse("cases:category_rules", args=[999999])).status_code == 404
    assert client.post(reverse("cases:category_delete", args=[999999])).status_code == 404


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["town_a", "village_a", "grid_a1", "dept", "supervisor", "resident_a", "party_a"]
)
def test_only_the_county_admin_reaches_the_screen(world, client, login, who):
    light = category("infra-light")
    login(world.users[who])
    assert client.get(reverse("cases:category_list")).status_code == 403
    assert client.get(reverse("cases:category_rules", args=[light.pk])).status_code == 403
    r = client.post(reverse("cases:category_rules", args=[light.pk]), _rules_post(light))
    assert r.status_code == 403
    assert client.post(reverse("cases:category_deactivate", args=[light.pk])).status_code == 403
    assert (
        client.post(reverse("cases:category_create"), {"code": "x", "name": "x"}).status_code == 403
    )
    assert not DeadlineRule.objects.filter(category=light).exists()
    light.refresh_from_db()
    assert light.is_active
    with pytest.raises(PermissionDenied):
        svc.deadline_rules_update(actor=world.users[who], category=light, rules={"normal": None})


def test_anonymous_is_sent_to_log_in(world, client):
    r = client.get(reverse("cases:category_list"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_nav_entry_for_the_county_admin_only(world, client, login):
    url = reverse("cases:category_list")
    login(world.users["county_admin"])
    assert url in client.get("/").content.decode()
    login(world.users["town_a"])
    assert url not in client.get("/").content.decode()


def test_list_shows_each_priority_rule_and_its_source(world, client, login):
    import re

    login(world.users["county_admin"])
    page = client.get(reverse("cases:category_list")).content.decode()

    def cell(code, priority):
        m = re.search(rf'data-testid="rule-{code}-{priority}">(.*?)</div>', page, re.S)
        return re.sub(r"<[^>]+>", "", m.group(1))

    assert "24 小时 / 10 个工作日" in cell("infra", "normal")
    assert "沿用上级" not in cell("infra", "normal")
    assert "24 小时 / 10 个工作日" in cell("infra-light", "normal")
    assert "沿用上级" in cell("infra-light", "normal")
    assert "12 小时" in cell("heat", "urgent") or "24 小时" in cell("heat", "urgent")


def test_a_code_taken_meanwhile_is_a_message_not_a_500(world, monkeypatch):
    """Two simultaneous creates of one code: the check passes for both, the insert fails for
    the second, which gets the same message as if the check had caught it."""
    monkeypatch.setattr(svc, "_code_taken", lambda code: False)
    with pytest.raises(ValidationError) as exc:
        svc.category_create(actor=world.users["county_admin"], code="env", name="又一个环境")
    assert "已被使用" in exc.value.message_dict["code"][0]
    assert Category.objects.filter(code="env").count() == 1
