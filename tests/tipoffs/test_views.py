"""查处举报 pages: filing (anonymous and named), the code shown once, following, 我的举报,
the handler's steps and the reveal; every other user gets 403/404 on every 举报 URL."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditEvent
from lianxin.notifications.models import Notification
from lianxin.tipoffs.models import Tipoff, TipoffState
from tests.conftest import make_user
from tests.tipoffs.factories import CANARIES, CONTACT, PERSON, REPORTER, TEXT, make_tipoff

pytestmark = pytest.mark.django_db


def _file(client, world, **extra):
    data = {
        "unit": world.village_a.pk,
        "reported_person": PERSON,
        "text": TEXT,
        "reporter_name": REPORTER,
        "contact": CONTACT,
        "form_token": extra.pop("form_token", "tok-1"),
        **extra,
    }
    return client.post(reverse("tipoffs:file"), data)


def _code(response) -> str:
    match = re.search(r'data-code="([A-Z0-9]+)"', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def _follow(client, code):
    return client.post(reverse("tipoffs:follow"), {"code": code})


def test_anonymous_filing_shows_the_code_once_and_follows(world, client):
    page = client.get(reverse("tipoffs:file"))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "anonymous" not in page.context["form"].fields  # no account: always anonymous
    response = _file(client, world)
    assert response.status_code == 200
    code = _code(response)
    tipoff = Tipoff.objects.get()
    assert tipoff.anonymous and tipoff.reporter_key == "" and tipoff.text == TEXT
    again = _file(client, world)  # a double submit: one 举报, no second code
    assert Tipoff.objects.count() == 1 and 'data-code="' not in again.content.decode()
    followed = _follow(client, code.lower()[:4] + "-" + code.lower()[4:])
    body = followed.content.decode()
    assert followed.status_code == 200 and "待受理" in body
    for canary in CANARIES:
        assert canary not in body
    assert code not in body  # the code is not echoed back


def test_wrong_and_unknown_codes_get_the_same_answer(world, client):
    code = _code(_file(client, world))
    wrong = _follow(client, code[:-1] + ("A" if code[-1] != "A" else "B"))
    unknown = _follow(client, "ZZZZZZZZZZZZ")
    short = _follow(client, code[:6])
    for r in (wrong, unknown, short):
        assert r.status_code == 422
        assert "查询码不正确" in r.content.decode()
    assert _tokenless(wrong) == _tokenless(unknown) == _tokenless(short)


def _tokenless(response) -> str:
    """The page without its per-response tokens (CSRF, CSP nonce)."""
    return re.sub(r"[A-Za-z0-9+/=_-]{32,}", "", response.content.decode())


def test_following_is_rate_limited(world, client, settings):
    settings.LIANXIN_TIPOFF_FOLLOW_LIMIT = (3, 900)
    code = _code(_file(client, world))
    for _i in range(3):
        _follow(client, "WRONGWRONG22")
    response = _follow(client, code)  # even the right code waits out the window
    assert response.status_code == 422 and "频繁" in response.content.decode()
    assert "待受理" not in response.content.decode()


def test_filing_is_rate_limited(world, client, settings):
    settings.LIANXIN_TIPOFF_FILE_LIMIT = (2, 3600)
    for i in range(3):
        response = _file(client, world, form_token=f"t{i}")
    assert response.status_code == 422 and Tipoff.objects.count() == 2


def test_named_filing_appears_in_my_reports_only(world, client, login):
    login(world.users["resident_a"])
    _code(_file(client, world, anonymous=""))
    _file(client, world, anonymous="on", form_token="tok-2")
    named, anonymous = Tipoff.objects.order_by("pk")
    assert not named.anonymous and anonymous.anonymous and anonymous.reporter_key == ""
    mine = client.get(reverse("tipoffs:mine"))
    assert list(mine.context["page_obj"]) == [named]
    login(world.users["resident_b"])
    assert list(client.get(reverse("tipoffs:mine")).context["page_obj"]) == []


def test_handlers_are_notified_without_any_content(world, client):
    _file(client, world)
    notes = list(Notification.objects.all())
    assert [n.recipient for n in notes] == [world.users["supervisor"]]
    raw = repr([n.__dict__ for n in notes])
    for canary in CANARIES:
        assert canary not in raw
    assert notes[0].url == reverse("tipoffs:detail", args=[Tipoff.objects.get().pk])


def test_the_handler_receives_investigates_concludes_and_the_reporter_reads(world, client, login):
    code = _code(_file(client, world))
    tipoff = Tipoff.objects.get()
    sup = login(world.users["supervisor"], c=client.__class__())
    listing = sup.get(reverse("tipoffs:list"))
    assert list(listing.context["page_obj"]) == [tipoff]
    detail = sup.get(reverse("tipoffs:detail", args=[tipoff.pk]))
    assert TEXT in detail.content.decode() and REPORTER not in detail.content.decode()
    step = reverse("tipoffs:step", args=[tipoff.pk])
    assert sup.post(step, {"action": "receive"}).status_code == 302
    assert sup.post(step, {"action": "investigate"}).status_code == 302
    bad = sup.post(step, {"action": "conclude", "conclusion": "partly"})
    assert bad.status_code == 422
    sup.post(
        step,
        {
            "action": "conclude",
            "conclusion": "partly",
            "finding": "查实一部分",
            "feedback": "已约谈",
        },
    )
    tipoff.refresh_from_db()
    assert tipoff.state == TipoffState.CONCLUDED and tipoff.feedback == "已约谈"
    body = _follow(client, code).content.decode()
    assert "已约谈" in body and "已办结" in body and "查实一部分" not in body
    assert "部分属实" not in body  # state and feedback only
    assert (
        sup.get(reverse("tipoffs:list") + "?state=submitted").context["page_obj"].paginator.count
        == 0
    )
    empty = sup.get(reverse("tipoffs:list") + "?state=submitted&page=x")
    assert "没有需要您处理的举报" in empty.content.decode()


def test_reveal_needs_a_reason_and_is_audited(world, client, login):
    tipoff = make_tipoff(world)
    login(world.users["supervisor"])
    url = reverse("tipoffs:reveal", args=[tipoff.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 422 and CONTACT not in refused.content.decode()
    shown = client.post(url, {"reason": "核实线索需要"})
    assert REPORTER in shown.content.decode() and CONTACT in shown.content.decode()
    ev = AuditEvent.objects.get(action="tipoff.reveal_reporter", outcome="ok")
    assert ev.reason == "核实线索需要" and ev.actor == world.users["supervisor"]
    assert CONTACT not in repr(ev.__dict__) and REPORTER not in repr(ev.__dict__)


def test_a_town_supervisor_handles_but_cannot_reveal(world, client, login):
    from lianxin.org.models import Role

    town_sup = make_user("town_sup", unit=world.town_a, role=Role.SUPERVISOR)
    tipoff = make_tipoff(world)
    login(town_sup)
    assert client.get(reverse("tipoffs:detail", args=[tipoff.pk])).status_code == 200
    assert client.get(reverse("tipoffs:reveal", args=[tipoff.pk])).status_code == 403
    assert (
        client.post(reverse("tipoffs:reveal", args=[tipoff.pk]), {"reason": "x"}).status_code == 403
    )


OUTSIDERS = [
    "county_admin",
    "town_a",
    "village_a",
    "grid_a1",
    "town_b",
    "village_b",
    "grid_b1",
    "dept",
    "resident_a",
    "resident_b",
    "party_a",
    "party_b",
]


@pytest.mark.parametrize("who", OUTSIDERS + ["superuser", "village_supervisor"])
def test_the_reported_side_and_other_staff_reach_no_tipoff_url(world, client, login, who):
    from lianxin.org.models import Role

    if who == "superuser":
        user = make_user("root")
        user.is_superuser = user.is_staff = True
        user.save()
    elif who == "village_supervisor":  # a supervisor of the reported unit itself
        user = make_user("vsup", unit=world.village_a, role=Role.SUPERVISOR)
    else:
        user = world.users[who]
    tipoff = make_tipoff(world)
    login(user)
    for name in ("tipoffs:detail", "tipoffs:step", "tipoffs:reveal"):
        url = reverse(name, args=[tipoff.pk])
        assert client.get(url).status_code in {403, 404, 405}, (who, name)
        assert client.post(url, {"action": "receive", "reason": "x"}).status_code in {403, 404}
    listing = client.get(reverse("tipoffs:list"))
    assert listing.status_code in {403, 404} or not listing.context["page_obj"].object_list
    tipoff.refresh_from_db()
    assert tipoff.state == TipoffState.SUBMITTED
    assert not AuditEvent.objects.filter(action="tipoff.reveal_reporter", outcome="ok").exists()
