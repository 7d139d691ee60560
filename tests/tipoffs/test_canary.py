"""The canary crawl (issue 13): unique strings planted in 举报 never reach the reported side.

Four 举报 are filed through the pages (anonymous from a phone without an account, named by a
resident, anonymous by a logged-in party member, one against a county department), with a
unique reporter name, phone, text and reported person each; one is concluded with a finding and
feedback that are canaries too, and the county supervisor unmasks one reporter (audited). Then,
as each role of the test world on the reported side or ordinary staff — the reported units'
staff and grid worker, their town, the county administrator (not a supervisor), the other
town's staff, the department, residents, party members, a supervisor *of* the reported village
(not above it) and a Django superuser — the crawl requests:

* every GET route of the URLconf (the route walk's discovery, kwargs from every app's
  ``route_params``), the routes without kwargs also as a search (``?q=金丝雀``, the canaries'
  common part): pages, lists, counts, exports (.xlsx unpacked), the API, the audit log;
* every job result file (large exports) and every notification row of the user;
* the admin index and every registered model's changelist;
* every log record captured while filing, handling and crawling (all loggers at DEBUG, the
  SQL with its parameters included);

and no canary may occur anywhere. Finally every table of the database is read with raw SQL:
no canary (nor follow-up code) is stored in plain text.

Measured 2026-12-03 (SQLite): 327 routes → 466 URLs per role (139 routes without kwargs also as
a search; 8 POST-only routes whose factories clash with the others' objects at a fallback id),
× 14 roles = 6 524 GETs (2 946 2xx, 156 3xx, 3 422 4xx, no 5xx) + 224 admin pages, 1 export job
file, 17 notification rows, 640 090 log records, 103 tables; 22 canaries and codes: 0 hits.
About 10 minutes on one worker: four parametrised groups so ``-n 2`` shares them.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections import Counter

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from lianxin.core.routes import param_names
from lianxin.jobs.models import Job
from lianxin.notifications.models import Notification
from lianxin.org.models import Role
from lianxin.tipoffs.models import Tipoff
from tests.conftest import make_user
from tests.core.test_route_scoping import ROUTE_KWARGS, ROUTES, _text

pytestmark = pytest.mark.django_db

ROLES = [
    "village_a",  # the reported village's staff
    "grid_a1",  # a grid worker under it
    "town_a",  # its town: the chain of command
    "county_admin",  # the county administrator, not 纪检
    "town_b",
    "village_b",
    "grid_b1",
    "dept",  # the reported department's own handler
    "resident_a",  # who filed the named 举报 (sees state and feedback only)
    "resident_b",
    "party_a",
    "party_b",
    "village_supervisor",  # a supervisor at the reported village itself: not above it
    "superuser",
]
SEARCH = "?q=金丝雀"


def _canaries(i: int) -> dict[str, str]:
    return {
        "reporter_name": f"举报人甲{i}金丝雀",
        "contact": f"1376666{i:04d}",
        "text": f"举报内容{i}金丝雀：收受好处费{i}万元",
        "reported_person": f"被举报人乙{i}金丝雀",
    }


FINDING = "查处情况金丝雀F1"
FEEDBACK = "反馈内容金丝雀B1"


def _code(response) -> str:
    match = re.search(r'data-code="([A-Z0-9]+)"', response.content.decode())
    assert match
    return match.group(1)


def _plant(world, login) -> list[str]:
    """File the four 举报 through the pages, handle one, reveal one; return every canary."""
    plants = [
        (None, world.village_a, False),
        ("resident_a", world.town_a, False),
        ("party_a", world.village_a, True),
        (None, world.department, True),
    ]
    canaries, codes = [], []
    for i, (who, unit, anonymous) in enumerate(plants):
        client = Client()
        if who:
            login(world.users[who], c=client)
        values = _canaries(i)
        canaries.extend(values.values())
        data = {"unit": unit.pk, "form_token": f"canary-{i}", **values}
        if who:
            data["anonymous"] = "on" if anonymous else ""
        codes.append(_code(client.post(reverse("tipoffs:file"), data)))
    first = Tipoff.objects.order_by("pk").first()
    sup = login(world.users["supervisor"], c=Client())
    step = reverse("tipoffs:step", args=[first.pk])
    sup.post(step, {"action": "receive"})
    sup.post(step, {"action": "investigate"})
    sup.post(
        step,
        {"action": "conclude", "conclusion": "partly", "finding": FINDING, "feedback": FEEDBACK},
    )
    shown = sup.post(reverse("tipoffs:reveal", args=[first.pk]), {"reason": "核实需要"})
    assert _canaries(0)["contact"] in shown.content.decode()  # the positive control
    detail = sup.get(reverse("tipoffs:detail", args=[first.pk])).content.decode()
    assert FINDING in detail and FEEDBACK in detail and _canaries(0)["text"] in detail
    assert Tipoff.objects.count() == 4
    return [*canaries, FINDING, FEEDBACK], codes


def _user(world, role):
    if role == "superuser":
        user = make_user("root")
        user.is_superuser = user.is_staff = True
        user.save()
        return user
    if role == "village_supervisor":
        return make_user("vsup", unit=world.village_a, role=Role.SUPERVISOR)
    return world.users[role]


def _leaks(text: str, canaries) -> list[str]:
    return [c for c in canaries if c in text]


def _every_logger_at_debug(caplog, monkeypatch) -> None:
    """Root and every logger known so far at DEBUG (Django's own loggers stop at INFO); the
    console handler of the settings' LOGGING keeps to warnings (every record still reaches the
    capture: printing a million DEBUG lines to a captured stderr only made the crawl slow)."""
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    for handler in logging.root.handlers:
        if type(handler) is logging.StreamHandler:
            monkeypatch.setattr(handler, "level", logging.WARNING)


def _route_urls(world) -> tuple[list[str], list[str]]:
    """Every GET route's URL (kwargs from every app's route_params, each built in its own
    savepoint: a few factories clash when all run in one world), and the routes whose kwargs
    could not be built beside the others."""
    urls, unbuilt = [], []
    for _route, name, pattern in ROUTES:
        if param_names(pattern):
            try:
                with transaction.atomic():
                    urls.append(reverse(name, kwargs=ROUTE_KWARGS[name](world)))
            except Exception:  # noqa: BLE001  (counted and reported below)
                # a clash with another factory's objects: crawl it at the first row's id
                unbuilt.append(name)
                urls.append(reverse(name, kwargs=dict.fromkeys(param_names(pattern), 1)))
        else:
            url = reverse(name)
            urls += [url, url + SEARCH]
    return urls, unbuilt


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        with contextlib.suppress(NoReverseMatch):
            urls.append(
                reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            )
    return urls


def _crawl(world, login, role, urls, secrets) -> Counter:
    user = _user(world, role)
    client = Client(raise_request_exception=False)
    login(user, c=client)
    found, figures = {}, Counter()
    for url in urls:
        response = client.get(url)
        figures[f"{response.status_code // 100}xx"] += 1
        leaked = _leaks(_text(response), secrets)
        if leaked:
            found[url] = leaked
    for url in _admin_urls():
        response = client.get(url)
        figures["admin"] += 1
        leaked = _leaks(_text(response), secrets)
        if leaked:
            found[url] = leaked
    for job in Job.objects.filter(owner=user).exclude(result=""):
        figures["job_files"] += 1
        with job.result.open("rb") as fh:
            leaked = _leaks(_zip_text(fh.read()), secrets)
        if leaked:
            found[f"job {job.kind}"] = leaked
    notes = list(Notification.objects.filter(recipient=user).values())
    figures["notifications"] += len(notes)
    if _leaks(repr(notes), secrets):
        found["notifications"] = _leaks(repr(notes), secrets)
    assert not found, f"{role} sees canaries: {found}"
    return figures


GROUPS = {
    "reported-village": ROLES[:3],
    "county-and-town-b": ROLES[3:7],
    "department-and-residents": ROLES[7:11],
    "party-and-outsiders": ROLES[11:],
}


@pytest.mark.parametrize("roles", list(GROUPS.values()), ids=list(GROUPS))
def test_no_canary_reaches_the_reported_side(roles, world, login, caplog, capsys, monkeypatch):
    _every_logger_at_debug(caplog, monkeypatch)
    connection.force_debug_cursor = True  # the writes' SQL and parameters go to the log too
    try:
        canaries, codes = _plant(world, login)
    finally:
        connection.force_debug_cursor = False
    assert any(r.name == "django.db.backends" for r in caplog.records)  # the SQL was logged
    secrets = canaries + codes
    urls, unbuilt = _route_urls(world)
    # a factory broken for good fails its own route walk; the booking factory clashes with the
    # canary world's bookings (its page and API routes are crawled at the first row's id)
    assert len(unbuilt) <= 16, unbuilt
    totals = Counter()
    for role in roles:
        figures = _crawl(world, login, role, urls, secrets)
        totals.update(figures)
        _say(
            capsys,
            f"canary crawl as {role}: {len(urls)} URLs + {figures['admin']} admin pages, "
            f"{dict(figures)}: 0 hits",
        )
    records = list(caplog.records)
    for record in records:
        line = f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        assert not _leaks(line, secrets), f"log {record.name}: {line[:300]}"
    assert not _leaks(caplog.text, secrets)
    _say(
        capsys,
        f"canary crawl {roles}: {len(ROUTES)} routes ({len(unbuilt)} at a fallback id: "
        f"{unbuilt}), {len(urls)} URLs per role, totals {dict(totals)}, "
        f"{len(records)} log records, {len(secrets)} canaries and codes: 0 hits",
    )


def _say(capsys, line: str) -> None:
    """The crawl's figures on the terminal, past the capture (the log capture stays on)."""
    with capsys.disabled():
        print("\n" + line)  # noqa: T201


def _zip_text(raw: bytes) -> str:
    import io
    import zipfile

    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            return "".join(zf.read(n).decode("utf-8", "ignore") for n in zf.namelist())
    return raw.decode("utf-8", "ignore")


def test_no_table_holds_a_canary_in_plain_text(world, login, capsys):
    canaries, codes = _plant(world, login)
    hits, tables = {}, 0
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            cur.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (names from introspection)
            raw = repr(cur.fetchall())
            tables += 1
            leaked = _leaks(raw, canaries + codes)
            if leaked:
                hits[table] = leaked
        cur.execute(
            "SELECT text_enc, reporter_enc, contact_enc, reported_person_enc, "
            "finding_enc, feedback_enc, code_hash FROM tipoffs_tipoff"
        )
        rows = cur.fetchall()
    assert not hits, hits
    assert len(rows) == 4 and all(r[0].startswith("gAAAA") for r in rows)  # Fernet tokens
    assert Tipoff.objects.order_by("pk").first().feedback == FEEDBACK
    _say(capsys, f"{tables} tables read, {len(canaries + codes)} canaries and codes: 0 hits")
