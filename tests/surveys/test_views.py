"""Pages of 民意调查: the staff list, builder, results (chart and table) and exports; the
resident's 待填问卷 and answering page; another town's staff get 404."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.surveys import services
from lianxin.surveys.models import Questionnaire, Response, SurveyState
from tests.surveys.factories import full_answers, make_questionnaire

pytestmark = pytest.mark.django_db


def test_list_empty_state_then_rows(world, login, client):
    login(world.users["village_a"])
    r = client.get(reverse("surveys:list"))
    assert r.status_code == 200
    assert "还没有问卷" in r.content.decode()
    make_questionnaire(world)
    r = client.get(reverse("surveys:list"), {"state": "open", "page": "x"})
    assert r.content.decode().count('data-testid="survey-row"') == 1


def test_list_paginates(world, login, client, settings):
    settings.LIANXIN_PAGE_SIZE = 2
    for i in range(3):
        make_questionnaire(world, publish=False, title=f"问卷{i}")
    login(world.users["village_a"])
    page1 = client.get(reverse("surveys:list")).content.decode()
    page2 = client.get(reverse("surveys:list"), {"page": 2}).content.decode()
    assert page1.count('data-testid="survey-row"') == 2
    assert page2.count('data-testid="survey-row"') == 1


def test_build_and_publish_through_the_pages(world, login, client):
    login(world.users["village_a"])
    today = timezone.localdate()
    r = client.post(
        reverse("surveys:new"),
        {
            "title": "广场舞时间调查",
            "intro": "",
            "unit": world.village_a.pk,
            "audience_kind": "unit",
            "audience_unit": world.grid_a1.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=3)).isoformat(),
        },
    )
    q = Questionnaire.objects.get(title="广场舞时间调查")
    assert r.status_code == 302 and r["Location"] == reverse("surveys:detail", args=[q.pk])
    r = client.post(
        reverse("surveys:question_add", args=[q.pk]),
        {"kind": "single", "text": "几点合适？", "required": "on", "options": "7点\n8点\n"},
    )
    assert q.questions.get().options.count() == 2
    client.post(reverse("surveys:publish", args=[q.pk]))
    q.refresh_from_db()
    assert q.state == SurveyState.OPEN


def test_new_form_refuses_a_foreign_unit(world, login, client):
    login(world.users["village_a"])
    today = timezone.localdate()
    r = client.post(
        reverse("surveys:new"),
        {
            "title": "越界",
            "unit": world.village_b.pk,
            "audience_kind": "unit",
            "audience_unit": world.village_b.pk,
            "opens_on": today.isoformat(),
            "closes_on": today.isoformat(),
        },
    )
    assert r.status_code == 200  # the form again, with errors
    assert not Questionnaire.objects.exists()


def test_results_show_chart_table_and_texts_without_names(world, login, client):
    q = make_questionnaire(world)
    services.questionnaire_answer(
        actor=world.users["resident_a"], questionnaire=q, answers=full_answers(q, text="路灯太暗")
    )
    services.questionnaire_answer(
        actor=world.users["party_a"], questionnaire=q, answers=full_answers(q, single=1)
    )
    login(world.users["town_a"])
    html = client.get(reverse("surveys:results", args=[q.pk])).content.decode()
    charts = html.split('data-testid="result-chart">')[1:]
    charts = [c.split("</svg>")[0] for c in charts]
    assert len(charts) == 3 and all("<svg" in c for c in charts)
    assert not any("<script" in c for c in charts)  # choice, choice, rating
    assert "共收到 2 份答卷" in html
    assert "调查对象 2 人" in html and "回收率 100.0%" in html  # resident_a and party_a
    assert "50.0%" in html  # 满意 1 of 2
    assert "路灯太暗" in html
    assert "甲居民" not in html and "甲党员" not in html


def test_exports_are_xlsx_audited_and_formula_safe(world, login, client):
    q = make_questionnaire(world)
    services.questionnaire_answer(
        actor=world.users["resident_a"], questionnaire=q, answers=full_answers(q, text="=1+1")
    )
    login(world.users["village_a"])
    for name in ("surveys:results_export", "surveys:responses_export"):
        r = client.get(reverse(name, args=[q.pk]))
        assert r.status_code == 200
        wb = load_workbook(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
        cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == "=1+1"]
        assert cells and all(c.data_type == "s" for c in cells)
        text = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row)
        assert "甲居民" not in text and "13900000001" not in text
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, target_id=str(q.pk)).count() == 2


@pytest.mark.parametrize("user", ["town_b", "village_b", "dept", "resident_b"])
def test_other_town_gets_404(world, login, client, user):
    q = make_questionnaire(world)
    login(world.users[user])
    for name in ("surveys:detail", "surveys:results", "surveys:answer"):
        assert client.get(reverse(name, args=[q.pk])).status_code in (403, 404)
    if user in ("town_b", "village_b"):
        assert client.get(reverse("surveys:results", args=[q.pk])).status_code == 404


def test_resident_sees_pending_and_answers_once(world, login, client):
    q = make_questionnaire(world)
    login(world.users["resident_a"])
    home = client.get(reverse("core:home")).content.decode()
    assert q.title in home
    mine = client.get(reverse("surveys:mine")).content.decode()
    assert 'data-testid="pending-survey"' in mine
    answers = {f"q{k}": v for k, v in full_answers(q).items()}
    r = client.post(reverse("surveys:answer", args=[q.pk]), answers)
    assert r.status_code == 302
    r = client.post(reverse("surveys:answer", args=[q.pk]), answers)
    assert r.status_code == 400
    assert "每人只能填写一次" in r.content.decode()
    assert Response.objects.filter(questionnaire=q).count() == 1
    assert q.title not in client.get(reverse("surveys:mine")).content.decode().split("已填写")[0]


@pytest.mark.parametrize(
    "payload",
    [{"q0": "x"}, {"q999": ["1", "2"]}, {}, {"q1": "\u202e" * 5}],
)
def test_hostile_answer_posts_never_crash(world, login, client, payload):
    q = make_questionnaire(world)
    login(world.users["resident_a"])
    r = client.post(reverse("surveys:answer", args=[q.pk]), payload)
    assert r.status_code == 400
    assert 'data-testid="answer-error"' in r.content.decode()


def test_a_draft_is_not_offered_to_residents(world, login, client):
    q = make_questionnaire(world, publish=False)
    login(world.users["resident_a"])
    assert client.get(reverse("surveys:answer", args=[q.pk])).status_code == 404


def test_unit_page_lists_its_questionnaires_for_its_staff_only(world, login, client):
    make_questionnaire(world)
    url = reverse("org:unit_detail", args=[world.village_a.code])
    login(world.users["town_a"])
    assert 'data-testid="panel-survey"' in client.get(url).content.decode()
    login(world.users["county_admin"])
    other = client.get(reverse("org:unit_detail", args=[world.village_b.code])).content.decode()
    assert 'data-testid="surveys-panel"' not in other
