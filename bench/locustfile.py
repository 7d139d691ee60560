"""Locust workload of Lianxin's real mix (issue 16, bullets 3 and 4).

Residents open the public intake form, post a request (CSRF token and the form's one-time
``form_token``) and track it by its code; clerks log in once and work their queue (workbench,
a request's page, 签收), search with 2–4 character words, read the map's ``points.json``, ask
for an .xlsx export; county leaders read dashboards. Logged-in residents (their phone number)
look at their village's rooms and events, book a room slot now and then (and cancel one), sign
up for an event; party members read the wishes they may claim and claim one (我来认领, htmx);
grid workers open 今日走访 and record a visit to a household due one. The intake stays the main
write. ``bench/mixed_load.py`` seeds the data and writes the JSON file this reads
(``LIANXIN_BENCH_DATA``); run it through that script.

Rate limits: the server runs with ``LIANXIN_TRUSTED_PROXIES=127.0.0.1`` and every simulated
client sends its own ``X-Forwarded-For`` address, as nginx would put it in front of the app
(docs/operations.md, "reverse proxy"): the limits stay on and count per simulated client.

The ledger (``LIANXIN_LEDGER``, used by ``bench/fault_drill.py``; ``bench/ledger.py`` says what
each kind's acknowledgement is): one JSON line per write the server acknowledged — intake,
booking, wish claim, event sign-up, visit — with its kind and key. A post that gets no answer
(a killed worker, a restarting database) is sent again with the same form, as a browser's
resubmit would be, until it is acknowledged or ``LIANXIN_RETRY_SECONDS`` pass.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from collections.abc import Callable
from typing import Any

from locust import HttpUser, between, events, task

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ledger  # noqa: E402 - bench/ledger.py, next to this file

DATA: dict[str, Any] = {}
LEDGER = os.environ.get("LIANXIN_LEDGER", "")
_CSRF = ledger.CSRF
_CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
_CLAIM_KIND = re.compile(r'name="kind" value="([^"]+)"')
_BOOKING_CANCEL = re.compile(r'action="/venues/bookings/(\d+)/cancel/"')
RETRY_SECONDS = float(os.environ.get("LIANXIN_RETRY_SECONDS", "120"))
WORDS = ["路灯", "漏水", "垃圾", "噪音扰民", "道路", "停车", "供暖", "下水道"]
TITLES = ["小区门口路灯不亮", "楼道漏水严重", "垃圾清运不及时", "夜间噪音扰民", "道路破损坑洼"]
GROUPS = ["秦腔兴趣小组", "老年书画班", "广场舞队", "青年志愿者", "四点半课堂"]


@events.init.add_listener
def _load(environment, **_kwargs) -> None:
    path = os.environ.get("LIANXIN_BENCH_DATA", "")
    if path:
        with open(path, encoding="utf-8") as fh:
            DATA.update(json.load(fh))


def _fake_address() -> str:
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


class LianxinUser(HttpUser):
    """Shared plumbing: cookies the server marks Secure are sent back over loopback HTTP."""

    abstract = True

    def on_start(self) -> None:
        self.address = _fake_address()

    def headers(self) -> dict[str, str]:
        return {"X-Forwarded-For": self.address, "Origin": self.host.rstrip("/")}

    def _plain_cookies(self) -> None:
        # Production settings mark the session and CSRF cookies Secure; the bench has no TLS.
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, url: str, name: str, **kw: Any):
        kw.setdefault("headers", self.headers())
        response = self.client.get(url, name=name, **kw)
        self._plain_cookies()
        return response

    def post(self, url: str, name: str, data: dict[str, Any], **kw: Any):
        kw.setdefault("headers", {**self.headers(), "Referer": self.host + url})
        response = self.client.post(url, data=data, name=name, allow_redirects=False, **kw)
        self._plain_cookies()
        return response

    def resubmit(
        self,
        url: str,
        data: dict[str, Any],
        *,
        name: str,
        acknowledged: Callable[[Any, int], bool],
        refusal_ok: bool = False,
        headers: dict[str, str] | None = None,
    ):
        """POST the form until ``acknowledged(response, attempt)``; again with the same form
        while the answer is none or a 5xx (``RETRY_SECONDS`` at most). The acknowledged
        response, or None. With ``refusal_ok`` a 4xx the rules give (slot taken, the open
        bookings' limit, not for this group) counts as an answer, not an error."""
        deadline = time.monotonic() + RETRY_SECONDS
        attempt = 0
        while True:
            attempt += 1
            with self.client.post(
                url,
                data=data,
                name=name,
                allow_redirects=False,
                catch_response=True,
                headers={**self.headers(), "Referer": self.host + url, **(headers or {})},
            ) as response:
                self._plain_cookies()
                if acknowledged(response, attempt):
                    response.success()
                    return response
                if ledger.should_retry(response.status_code):
                    response.failure(f"{name} answered {response.status_code}")
                    if time.monotonic() > deadline:
                        return None
                    time.sleep(1)
                    continue
                if refusal_ok and response.status_code != 403:
                    response.success()
                else:
                    response.failure(f"{name} refused: {response.status_code}")
                return None


class Resident(LianxinUser):
    """A resident on a phone: report a problem, then look at its tracking page."""

    weight = 3
    wait_time = between(2, 6)

    def on_start(self) -> None:
        super().on_start()
        self.codes: list[str] = []

    @task(3)
    def submit(self) -> None:
        self.address = _fake_address()  # a new resident each time (limits are per address)
        self.client.cookies.clear()
        grid = random.choice(DATA["grids"])
        page = self.get(f"/cases/new/?u={grid['code']}", name="intake form")
        csrf, token = _CSRF.search(page.text or ""), ledger.FORM_TOKEN.search(page.text or "")
        if page.status_code != 200 or not csrf or not token:
            return
        data = {
            "csrfmiddlewaretoken": csrf.group(1),
            "form_token": token.group(1),
            "category": random.choice(DATA["categories"]),
            "title": random.choice(TITLES),
            "description": "压测：" + random.choice(TITLES) + "，请尽快处理，谢谢。",
            "village": grid["village"],
            "grid": grid["id"],
            "address": "压测地址",
            "reporter_name": "压测居民",
            "reporter_phone": f"1{random.randint(3, 9)}{random.randint(0, 999_999_999):09d}",
        }
        codes: list[str] = []

        def acknowledged(response, _attempt: int) -> bool:
            match = ledger.TRACK.search(response.headers.get("Location", ""))
            if response.status_code == 302 and match:
                codes.append(match.group(1))
                ledger.append(
                    LEDGER, {"kind": "intake", "code": codes[0], "token": data["form_token"]}
                )
                return True
            return False

        if self.resubmit("/cases/new/", data, name="intake post", acknowledged=acknowledged):
            self.codes.append(codes[0])
            self.get(f"/cases/t/{codes[0]}/", name="track page")

    @task(2)
    def track(self) -> None:
        codes = self.codes or DATA.get("codes") or []
        if codes:
            self.get(f"/cases/t/{random.choice(codes)}/", name="track page")


class LoggedIn(LianxinUser):
    """Someone with an account (``roles``: the data file's lists): logs in once."""

    abstract = True
    wait_time = between(2, 6)
    roles: tuple[str, ...] = ("clerks",)

    def on_start(self) -> None:
        super().on_start()
        pool = [a for role in self.roles for a in DATA.get(role) or []]
        self.account = random.choice(pool) if pool else None
        self.logged_in = False
        if self.account is not None:
            self.login()

    def login(self) -> None:
        assert self.account is not None
        page = self.get("/accounts/login/", name="login form")
        csrf = _CSRF.search(page.text or "")
        if not csrf:
            return
        response = self.post(
            "/accounts/login/",
            name="login post",
            data={
                "csrfmiddlewaretoken": csrf.group(1),
                "username": self.account["username"],
                "password": DATA["password"],
            },
        )
        self.logged_in = response.status_code == 302

    def _page(self, url: str, name: str):
        if not self.logged_in:
            self.login()
        response = self.get(url, name=name, allow_redirects=False)
        if response.status_code == 302 and "/accounts/login/" in response.headers.get(
            "Location", ""
        ):
            self.logged_in = False  # the session was lost (it never should be)
        return response

    def csrf(self, page) -> str:
        match = _CSRF.search(page.text or "")
        return match.group(1) if match else ""


class Clerk(LoggedIn):
    """A village or grid clerk: queue, a request's page, 签收, search, map, now and then an export."""

    weight = 2
    roles = ("clerks",)

    def on_start(self) -> None:
        self.case_ids: list[int] = []
        super().on_start()

    @task(4)
    def workbench(self) -> None:
        response = self._page("/cases/", name="workbench")
        ids = [int(x) for x in _CASE_LINK.findall(response.text or "")]
        if ids:
            self.case_ids = ids

    @task(3)
    def case_page(self) -> None:
        if self.case_ids:
            self._page(f"/cases/{random.choice(self.case_ids)}/", name="request page")

    @task(1)
    def accept(self) -> None:
        if not self.case_ids:
            return
        pk = random.choice(self.case_ids)
        page = self._page(f"/cases/{pk}/", name="request page")
        csrf = _CSRF.search(page.text or "")
        if not csrf or f"/cases/{pk}/act/accept/" not in (page.text or ""):
            return
        with self.client.post(
            f"/cases/{pk}/act/accept/",
            data={"csrfmiddlewaretoken": csrf.group(1)},
            name="accept",
            allow_redirects=False,
            catch_response=True,
            headers={**self.headers(), "Referer": f"{self.host}/cases/{pk}/"},
        ) as response:
            # Another clerk may have taken it a moment before: a refusal is not an error.
            if response.status_code < 500 and response.status_code != 403:
                response.success()
            else:
                response.failure(f"accept answered {response.status_code}")

    @task(2)
    def search(self) -> None:
        self._page(f"/cases/?q={random.choice(WORDS)}", name="search")

    @task(2)
    def map_points(self) -> None:
        box = DATA["bbox"]
        self._page(
            f"/map/points.json?bbox={box}&zoom=12&layers=cases,wishes,venues,events",
            name="map points.json",
        )

    @task(1)
    def dashboard(self) -> None:
        self._page(f"/dashboards/{self.account['unit']}/", name="dashboard")

    @task(1)
    def export(self) -> None:
        with self.client.get(
            f"/cases/export.xlsx?q={random.choice(WORDS)}",
            name="export",
            headers=self.headers(),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._plain_cookies()
            if response.status_code in (200, 302):  # inline .xlsx, or a job's progress page
                response.success()
            else:
                response.failure(f"export answered {response.status_code}")


class Leader(Clerk):
    """A town or county leader: dashboards, county-wide search and map, exports."""

    weight = 1
    roles = ("leaders",)

    @task(4)
    def dashboard(self) -> None:
        self._page(f"/dashboards/{self.account['unit']}/", name="dashboard")


class Member(LoggedIn):
    """A resident logged in with their phone: their village's rooms and events; books a slot
    (and cancels one now and then: at most 4 open bookings a person), signs up for an event."""

    weight = 1
    roles = ("residents",)

    def on_start(self) -> None:
        self.room_ids: list[int] = []
        self.event_ids: list[int] = []
        super().on_start()

    @task(3)
    def rooms(self) -> None:
        if self.account:
            page = self._page("/venues/rooms/", name="room list")
            self.room_ids = [int(x) for x in ledger.ROOM_LINK.findall(page.text or "")]

    @task(1)
    def book(self) -> None:
        if not self.room_ids:
            return
        self.my_bookings(cancel_at=4)  # at the limit: give one up first, as a person would
        pk = random.choice(self.room_ids)
        today = ledger.next_day(self._page(f"/venues/rooms/{pk}/", name="room page").text or "")
        if today is None:
            return
        day = ledger.later(today, random.randint(0, 13))
        url = f"/venues/rooms/{pk}/?day={day}"
        page = self._page(url, name="room page").text or ""
        slots = ledger.free_slots(page)
        data = slots and ledger.booking_data(page, day, random.choice(slots)[0], GROUPS[pk % 5])
        if not data:
            return

        def acknowledged(response, _attempt: int) -> bool:
            if ledger.booking_acknowledged(
                response.status_code, response.headers.get("Location", "")
            ):
                entry = {"kind": "booking", "token": data["token"], "room": pk, "day": day}
                ledger.append(LEDGER, {**entry, "user": self.account["username"]})
                return True
            return False

        self.resubmit(
            url, data, name="booking post", acknowledged=acknowledged, refusal_ok=True
        )  # refused: the slot was taken meanwhile, or 4 open bookings already

    @task(1)
    def my_bookings(self, cancel_at: int = 3) -> None:
        """ "My bookings"; with ``cancel_at`` or more still to come, cancel one of them."""
        if not self.account:
            return
        page = self._page("/venues/bookings/", name="my bookings")
        open_ones = _BOOKING_CANCEL.findall(page.text or "")
        if len(open_ones) >= cancel_at and (csrf := self.csrf(page)):
            self.post(
                f"/venues/bookings/{random.choice(open_ones)}/cancel/",
                name="booking cancel",
                data={"csrfmiddlewaretoken": csrf},
            )

    @task(3)
    def event_list(self) -> None:
        if self.account:
            page = self._page("/activities/", name="event list")
            self.event_ids = [int(x) for x in ledger.EVENT_LINK.findall(page.text or "")]

    @task(1)
    def sign_up(self) -> None:
        if not self.event_ids:
            return
        pk = random.choice(self.event_ids)
        page = self._page(f"/activities/{pk}/", name="event page")
        csrf = self.csrf(page)
        if not csrf or f'action="/activities/{pk}/register/"' not in (page.text or ""):
            self.event_ids.remove(pk)  # signed up already, over, or not open
            return

        def acknowledged(response, _attempt: int) -> bool:
            # The 302 back to the event says nothing by itself (a refusal comes back the same
            # way, with a message): the event's page then shows the registration, or not.
            if response.status_code != 302:
                return False
            detail = self._page(f"/activities/{pk}/", name="event page")
            registration = ledger.registration_of(detail.text or "")
            if registration is None:
                return False
            entry = {"kind": "signup", "event": pk, "registration": registration}
            ledger.append(LEDGER, {**entry, "user": self.account["username"]})
            return True

        self.resubmit(
            f"/activities/{pk}/register/",
            {"csrfmiddlewaretoken": csrf},
            name="signup post",
            acknowledged=acknowledged,
            refusal_ok=True,  # not for this group (a 302 with the reason)
        )
        self.event_ids.remove(pk)


class PartyMember(LoggedIn):
    """A party member: the wishes of their area waiting for someone; claims one (我来认领)."""

    weight = 1
    roles = ("party_members",)

    @task(3)
    def claimable(self) -> None:
        if self.account:
            self._page("/wishes/claim/", name="claimable wishes")

    @task(1)
    def claim(self) -> None:
        if not self.account:
            return
        page = self._page("/wishes/claim/", name="claimable wishes")
        text = page.text or ""
        wishes, kind = ledger.CLAIM_FORM.findall(text), _CLAIM_KIND.search(text)
        csrf = self.csrf(page)
        if not wishes or not kind or not csrf:
            return
        pk = int(random.choice(wishes[:10]))  # the longest-waiting, at the top of the page

        def acknowledged(response, attempt: int) -> bool:
            ok = response.status_code == 200 and ledger.CLAIMED_OK in (response.text or "")
            if not ok and attempt > 1 and response.status_code < 500:
                # A resubmit is told the wish is taken: by this member's lost first post?
                mine = self._page("/wishes/mine/", name="my wishes")
                ok = str(pk) in ledger.MY_CLAIM.findall(mine.text or "")
            if ok:
                entry = {"kind": "wish_claim", "wish": pk, "user": self.account["username"]}
                ledger.append(LEDGER, entry)
            return ok

        self.resubmit(
            f"/wishes/{pk}/claim/",
            {"csrfmiddlewaretoken": csrf, "kind": kind.group(1)},
            name="claim post",
            acknowledged=acknowledged,
            refusal_ok=True,  # someone else claimed it a moment before
            headers={"HX-Request": "true", "HX-Target": f"claim-{pk}"},
        )


class GridWorker(LoggedIn):
    """A grid worker on a round: 今日走访 (households due a visit), records a visit."""

    weight = 1
    roles = ("grid_workers",)

    def on_start(self) -> None:
        self.households: list[str] = []
        super().on_start()

    @task(2)
    def today(self) -> None:
        if self.account:
            page = self._page("/visits/today/", name="visits today")
            self.households = ledger.VISIT_START.findall(page.text or "")

    @task(1)
    def visit(self) -> None:
        if not self.households:
            return
        household = self.households.pop(random.randrange(len(self.households)))
        url = f"/visits/new/?household={household}"
        page = self._page(url, name="visit form")
        token, csrf = ledger.FORM_TOKEN.search(page.text or ""), self.csrf(page)
        if page.status_code != 200 or not token or not csrf:
            return
        data = {
            "csrfmiddlewaretoken": csrf,
            "form_token": token.group(1),
            "kind": random.choice(["routine", "routine", "routine", "care"]),
            "met": "户主",
            "notes": "压测走访：家中情况正常，已宣传诉求渠道。",
            "needs": random.sample(["就医", "助餐", "维修"], random.randint(0, 2)),
        }

        def acknowledged(response, _attempt: int) -> bool:
            pk = ledger.visit_acknowledged(
                response.status_code, response.headers.get("Location", "")
            )
            if pk is not None:
                ledger.append(LEDGER, {"kind": "visit", "token": data["form_token"], "id": pk})
            return pk is not None

        self.resubmit(url, data, name="visit post", acknowledged=acknowledged)
