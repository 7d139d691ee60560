"""The fault drill's ledger (issue 16, bullet 4): what the server acknowledged, and the count.

The client side (``bench/locustfile.py``, ``tests/bench/test_fault_drill_small.py``) appends
one JSON line per write the server acknowledged, with its kind and the key that identifies
it; ``bench/fault_drill.py``'s child ``check`` (Django, the drill's database) counts per kind
how many of them are there once (``lost``, ``duplicated``) and what landed without the client
being told (``landed_unacknowledged``: informational, a post whose answer the fault ate).

What "acknowledged" means for each kind, as a person at the browser would see it:

- ``intake`` (the public form, ``/cases/new/``): the 302 to the tracking page
  ``/cases/t/<code>/``; key ``token`` (the form's ``form_token``, stored as
  ``Case.idempotency_key`` = ``web:<token>``) and the ``code`` the client was given.
- ``booking`` (a resident books a room slot, ``/venues/rooms/<pk>/``): the 302 to "my
  bookings" ``/venues/bookings/``; key ``token`` (the form's ``token``, ``Booking.client_token``).
- ``wish_claim`` (a party member's 我来认领 on ``/wishes/claim/``, htmx): the partial that says
  认领成功 (``data-testid="claimed-ok"``), or — when the first answer was lost and the resubmit
  is told the wish is taken — the wish among "my claims" on ``/wishes/mine/``; key ``wish`` (the
  id: one active claim per wish) and ``user``.
- ``signup`` (a resident signs up for an event, ``/activities/<pk>/register/``): the 302 back to
  the event whose page then shows the person's registration (its cancel form names it); key
  ``registration`` (the id), with ``event`` and ``user``.
- ``visit`` (a grid worker records a visit, ``/visits/new/?household=<pk>``): the 302 to
  ``/visits/<pk>/``; key ``token`` (the form's ``form_token``, ``Visit.form_token``) and ``id``.

A post with no answer is sent again with the same form (same token), as a browser resubmits;
the services make that one write (form tokens, or the wish's and the event's one-per-person
rules).
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

KINDS = ("intake", "booking", "wish_claim", "signup", "visit")
COUNTS = ("acknowledged", "lost", "duplicated", "landed_unacknowledged")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
BOOKING_TOKEN = re.compile(r'name="token" value="([^"]+)"')
TRACK = re.compile(r"/cases/t/([^/]+)/")
ROOM_LINK = re.compile(r'href="/venues/rooms/(\d+)/" data-testid="room-link"')
DAY_LINK = re.compile(r'href="\?day=(\d{4}-\d{2}-\d{2})"')
SLOT_TIME = re.compile(r"<span>(\d\d:\d\d)–(\d\d:\d\d)</span>")
EVENT_LINK = re.compile(r'href="/activities/(\d+)/" data-testid="event-row"')
REGISTRATION = re.compile(r'action="/activities/registrations/(\d+)/cancel/"')
REGISTER_FORM = re.compile(r'action="/activities/(\d+)/register/"')
CLAIM_FORM = re.compile(r'hx-post="/wishes/(\d+)/claim/"')
MY_CLAIM = re.compile(r'href="/wishes/(\d+)/" data-testid="my-claim"')
CLAIMED_OK = 'data-testid="claimed-ok"'
VISIT_START = re.compile(r'href="/visits/new/\?household=(\d+)" data-testid="visit-start"')
VISIT_DONE = re.compile(r"/visits/(\d+)/$")
BOOKINGS_MINE = "/venues/bookings/"
# No answer, or the proxy's/gunicorn's "try again": the client resubmits the same form.
RETRY_STATUSES = frozenset((0, 502, 503, 504))
_LOCK = threading.Lock()


def append(path: str, entry: dict[str, Any]) -> None:
    """Append one acknowledged write (one JSON line, flushed and fsync'd at once)."""
    if not path:
        return
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    with _LOCK, open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def read(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def should_retry(status: int) -> bool:
    """Whether the answer is no acknowledgement either way (resubmit the same form)."""
    return status in RETRY_STATUSES or status >= 500


def free_slots(page: str) -> list[tuple[str, str]]:
    """The free slots of a room's day page (``rooms/partials/room_slots.html``) that no 错时
    rule reserves for one audience: ``("HH:MM", "HH:MM")`` pairs."""
    out = []
    for item in page.split("<li")[1:]:
        when = SLOT_TIME.search(item)
        if when and "text-bg-success" in item and "text-bg-info" not in item:
            out.append((when.group(1), when.group(2)))
    return out


def next_day(page: str) -> date | None:
    """The day after the one a room page shows (its "后一天" link: the server's calendar)."""
    days = DAY_LINK.findall(page)
    return date.fromisoformat(days[-1]) if days else None


def later(day: date, days: int) -> str:
    return (day + timedelta(days=days)).isoformat()


def booking_data(page: str, day: str, start: str, group: str) -> dict[str, str] | None:
    """The booking form's fields for one hour from ``start`` (None: the page has no form)."""
    csrf, token = CSRF.search(page), BOOKING_TOKEN.search(page)
    if not csrf or not token:
        return None
    return {
        "csrfmiddlewaretoken": csrf.group(1),
        "token": token.group(1),
        "day": day,
        "start": start,
        "hours": "1",
        "group_name": group,
        "audience": "general",
        "attendees": "8",
        "purpose": "压测预约",
    }


def booking_acknowledged(status: int, location: str) -> bool:
    return status == 302 and location.rstrip("/").endswith(BOOKINGS_MINE.rstrip("/"))


def visit_acknowledged(status: int, location: str) -> int | None:
    match = VISIT_DONE.search(location) if status == 302 else None
    return int(match.group(1)) if match else None


def registration_of(page: str) -> int | None:
    """The person's registration an event page shows (its cancel form), if any."""
    match = REGISTRATION.search(page)
    return int(match.group(1)) if match else None


# ---- the check (Django, in the drill's child process) ----------------------------------


def _pairs(rows: Iterable[tuple[Any, Any]]) -> Counter:
    return Counter(tuple(r) for r in rows)


def check(entries: list[dict[str, Any]], since: str) -> dict[str, dict[str, int]]:
    """Per kind: acknowledged (distinct keys in the ledger), lost (acknowledged, not in the
    database as the client was told), duplicated (one key that made two rows, or two live
    rows where the rules allow one) and landed_unacknowledged (made since ``since`` by no
    acknowledged post: informational). Needs Django set up (the drill's settings)."""
    from django.db.models import Count

    from lianxin.cases.models import Case
    from lianxin.events.models import Registration, RegistrationStatus
    from lianxin.rooms.models import Booking
    from lianxin.visits.models import Visit
    from lianxin.wishes.models import WishClaim

    by_kind: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for e in entries:
        by_kind.setdefault(e.get("kind", "intake"), []).append(e)
    out: dict[str, dict[str, int]] = {}

    def dup_count(qs, *fields: str) -> int:
        return qs.values(*fields).annotate(n=Count("id")).filter(n__gt=1).count()

    # intake: web:<form_token> -> the code the client was given
    told = {e["token"]: e["code"] for e in by_kind["intake"]}
    keys = [f"web:{t}" for t in told]
    found: dict[str, list[str]] = {}
    for key, code in Case.objects.filter(idempotency_key__in=keys).values_list(
        "idempotency_key", "code"
    ):
        found.setdefault(key.removeprefix("web:"), []).append(code)
    made = Case.objects.filter(created_at__gte=since, idempotency_key__startswith="web:")
    out["intake"] = {
        "acknowledged": len(told),
        "lost": sum(1 for t, code in told.items() if code not in found.get(t, [])),
        "duplicated": dup_count(made, "idempotency_key"),
        "landed_unacknowledged": made.exclude(idempotency_key__in=keys).count(),
    }

    # booking: the form's token -> Booking.client_token (unique), by the user who was told
    told_b = {e["token"]: e.get("user", "") for e in by_kind["booking"]}
    rows = dict(
        Booking.objects.filter(client_token__in=list(told_b)).values_list(
            "client_token", "booker__username"
        )
    )
    made_b = Booking.objects.filter(created_at__gte=since, client_token__isnull=False)
    out["booking"] = {
        "acknowledged": len(told_b),
        "lost": sum(1 for t, u in told_b.items() if t not in rows or (u and rows[t] != u)),
        "duplicated": dup_count(made_b, "client_token"),
        "landed_unacknowledged": made_b.exclude(client_token__in=list(told_b)).count(),
    }

    # wish_claim: (wish, user); one active claim per wish
    told_w = {(int(e["wish"]), e["user"]) for e in by_kind["wish_claim"]}
    made_w = WishClaim.objects.filter(created_at__gte=since)
    landed_w = _pairs(made_w.values_list("wish_id", "user__username"))
    live = WishClaim.objects.filter(
        wish_id__in={w for w, _u in told_w} | {w for w, _u in landed_w}, is_active=True
    )
    out["wish_claim"] = {
        "acknowledged": len(told_w),
        "lost": sum(1 for pair in told_w if pair not in landed_w),
        "duplicated": sum(n - 1 for n in landed_w.values() if n > 1) + dup_count(live, "wish_id"),
        "landed_unacknowledged": sum(1 for pair in landed_w if pair not in told_w),
    }

    # signup: the registration id the event page showed, for (event, user)
    told_s = {int(e["registration"]): (int(e["event"]), e["user"]) for e in by_kind["signup"]}
    regs = dict(
        (pk, (event, user))
        for pk, event, user in Registration.objects.filter(pk__in=list(told_s)).values_list(
            "pk", "event_id", "user__username"
        )
    )
    # created_at is the caller's (the demo dates its sign-ups before their events, in the
    # future); updated_at (auto_now) tells what was written since.
    made_s = Registration.objects.filter(
        created_at__gte=since, updated_at__gte=since, user__isnull=False
    )
    live_s = Registration.objects.filter(
        event_id__in={ev for ev, _u in told_s.values()}, user__isnull=False
    ).exclude(status=RegistrationStatus.CANCELLED)
    out["signup"] = {
        "acknowledged": len(told_s),
        "lost": sum(1 for pk, pair in told_s.items() if regs.get(pk) != pair),
        "duplicated": dup_count(made_s, "event_id", "user_id")
        + dup_count(live_s, "event_id", "user_id"),
        "landed_unacknowledged": made_s.exclude(pk__in=list(told_s)).count(),
    }

    # visit: the form's form_token -> the visit id the client was sent to
    told_v = {e["token"]: int(e["id"]) for e in by_kind["visit"]}
    vrows = dict(Visit.objects.filter(form_token__in=list(told_v)).values_list("form_token", "pk"))
    made_v = Visit.objects.filter(created_at__gte=since, form_token__isnull=False)
    out["visit"] = {
        "acknowledged": len(told_v),
        "lost": sum(1 for t, pk in told_v.items() if vrows.get(t) != pk),
        "duplicated": dup_count(made_v, "form_token"),
        "landed_unacknowledged": made_v.exclude(form_token__in=list(told_v)).count(),
    }
    return out


def table(per_kind: dict[str, dict[str, int]]) -> str:
    """Markdown: one row per kind and the total."""
    lines = [
        "| write | acknowledged | lost | duplicated | landed, unacknowledged |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    total = Counter()
    for kind, row in per_kind.items():
        total.update(row)
        lines.append(f"| {kind} | " + " | ".join(str(row[c]) for c in COUNTS) + " |")
    lines.append("| **all** | " + " | ".join(f"**{total[c]}**" for c in COUNTS) + " |")
    return "\n".join(lines)


def passed(per_kind: dict[str, dict[str, int]]) -> bool:
    return all(row["lost"] == 0 and row["duplicated"] == 0 for row in per_kind.values())
