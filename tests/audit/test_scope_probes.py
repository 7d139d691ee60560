"""A staff user opening another town's object ids gets a 404, and the probe is audited."""

import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.audit.probes import FULL, _worth_a_row
from tests.cases.factories import make_case
from tests.venues.factories import venue_b
from tests.wishes.factories import make_wish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def town_b_objects(world):
    """One object of each kind in 洛门镇 (town B), each carrying a recognisable canary."""
    case = make_case(world, grid=world.grid_b1, reporter="resident_b", title="乙镇金丝雀诉求")
    wish = make_wish(
        world,
        "published",
        unit=world.grid_b1,
        clerk=world.users["village_b"],
        title="乙镇金丝雀心愿",
    )
    venue = venue_b(world)
    person = world.persons["b"]
    return {
        "cases:case_detail": (case.pk, case.title),
        "people:person_detail": (person.pk, person.name),
        "venues:venue_detail": (venue.pk, venue.name),
        "wishes:wish_detail": (wish.pk, wish.title),
    }


def _page(response, pk) -> str:
    """The page without its per-response tokens (CSP nonce, CSRF token) and its own address
    (the language switch sends the user back to it)."""
    body = response.content.decode().replace(reverse("cases:case_detail", args=[pk]), "PATH")
    return re.sub(r'(nonce|value|content)="[A-Za-z0-9+/=_-]{16,}"', "", body)


def _probes():
    return AuditEvent.objects.filter(action=AuditAction.SCOPE_DENIED)


def test_town_a_clerk_walking_town_b_ids_is_audited_without_object_data(
    world, client, login, town_b_objects
):
    clerk = world.users["town_a"]
    login(clerk)
    for route, (pk, canary) in town_b_objects.items():
        before = _probes().count()
        r = client.get(reverse(route, args=[pk]))
        assert r.status_code == 404, route
        assert canary not in r.content.decode()
        row = _probes().latest("id")
        assert _probes().count() == before + 1, route
        assert row.actor == clerk and row.outcome == "not_found"
        assert row.path == reverse(route, args=[pk])
        assert row.extra["route"] == route and row.extra["id"] == str(pk)
        # Nothing of the object: no name, title, type or id beyond the address asked for.
        flat = f"{row.target_type}|{row.target_repr}|{row.reason}|{row.extra}"
        assert canary not in flat and row.target_type == "" and row.target_id == ""


def test_a_nonexistent_id_gets_the_same_404_and_the_same_row(world, client, login, town_b_objects):
    login(world.users["town_a"])
    pk, _canary = town_b_objects["cases:case_detail"]
    elsewhere = client.get(reverse("cases:case_detail", args=[pk]))
    missing = client.get(reverse("cases:case_detail", args=[99_999_999]))
    assert elsewhere.status_code == missing.status_code == 404
    assert _page(elsewhere, pk) == _page(missing, 99_999_999)
    rows = list(_probes().order_by("id"))
    assert len(rows) == 2
    assert {k for k in rows[0].extra} == {
        k for k in rows[1].extra
    }  # the log does not say which one exists


def test_in_scope_open_writes_no_row(world, client, login):
    case = make_case(world)
    wish = make_wish(world, "published")
    login(world.users["town_a"])
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    assert (
        client.get(reverse("people:person_detail", args=[world.persons["a"].pk])).status_code == 200
    )
    assert client.get(reverse("wishes:wish_detail", args=[wish.pk])).status_code == 200
    assert not _probes().exists()


def test_superuser_and_anonymous_write_no_probe(world, client, login):
    from tests.conftest import make_user

    root = make_user("root")
    root.is_superuser = True
    root.save()
    login(root)
    assert client.get(reverse("cases:case_detail", args=[99_999_999])).status_code == 404
    client.logout()
    client.get(reverse("cases:case_detail", args=[99_999_999]))
    assert not _probes().exists()


def test_a_crawler_writes_a_bounded_number_of_rows(world, client, login):
    login(world.users["town_a"])
    for pk in range(1, 121):
        assert client.get(reverse("wishes:wish_detail", args=[10_000 + pk])).status_code == 404
    rows = list(_probes().order_by("id"))
    # 1..5 each, then the 10th and the 100th: 7 rows for 120 probes.
    assert [r.extra["count_in_window"] for r in rows] == [1, 2, 3, 4, 5, 10, 100]
    assert [n for n in range(1, 10_001) if _worth_a_row(n)] == [
        *range(1, FULL + 1),
        10,
        100,
        1000,
        10000,
    ]


def test_audit_screen_filters_the_probes(world, client, login, town_b_objects):
    login(world.users["town_a"])
    pk, _canary = town_b_objects["venues:venue_detail"]
    for _ in range(10):
        client.get(reverse("venues:venue_detail", args=[pk]))
    from lianxin.audit.services import audit_record

    audit_record(action=AuditAction.EXPORT, actor=world.users["village_a"], reason="导出台账")
    login(world.users["county_admin"])
    body = client.get(
        reverse("audit:audit_list"), {"action": AuditAction.SCOPE_DENIED}
    ).content.decode()
    assert 'data-testid="filter-probes"' in body
    assert reverse("venues:venue_detail", args=[pk]) in body
    assert "导出台账" not in body
    assert body.count('data-testid="probe-path"') == 6  # 1..5, then the 10th
    assert "10 分钟内第 10 次" in body


def test_a_failing_audit_write_still_answers_404(world, client, login, monkeypatch):
    import lianxin.audit.probes as probes

    def broken(**_kw):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(probes, "audit_record", broken)
    login(world.users["town_a"])
    assert client.get(reverse("cases:case_detail", args=[99_999_999])).status_code == 404
