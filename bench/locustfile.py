"""Locust workload of Lianxin's real mix (issue 16, bullets 3 and 4).

Residents open the public intake form, post a request (CSRF token and the form's one-time
``form_token``) and track it by its code; clerks log in once and work their queue (workbench,
a request's page, 签收), search with 2–4 character words, read the map's ``points.json``, ask
for an .xlsx export; county leaders read dashboards. ``bench/mixed_load.py`` seeds the data and
writes the JSON file this reads (``LIANXIN_BENCH_DATA``); run it through that script.

Rate limits: the server runs with ``LIANXIN_TRUSTED_PROXIES=127.0.0.1`` and every simulated
resident sends its own ``X-Forwarded-For`` address, as nginx would put it in front of the app
(docs/operations.md, "reverse proxy"): the limits stay on and count per simulated client.

The ledger (``LIANXIN_LEDGER``, used by ``bench/fault_drill.py``): one JSON line per write
the server acknowledged (the intake's 302 to its tracking page). A post that gets no answer
(a killed worker, a restarting database) is sent again with the same ``form_token``, as a
browser's resubmit would be, until it is acknowledged or ``LIANXIN_RETRY_SECONDS`` pass.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
from typing import Any

from locust import HttpUser, between, events, task

DATA: dict[str, Any] = {}
_LEDGER_LOCK = threading.Lock()
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
_CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
_TRACK = re.compile(r"/cases/t/([^/]+)/")
RETRY_SECONDS = float(os.environ.get("LIANXIN_RETRY_SECONDS", "120"))
WORDS = ["路灯", "漏水", "垃圾", "噪音扰民", "道路", "停车", "供暖", "下水道"]
TITLES = ["小区门口路灯不亮", "楼道漏水严重", "垃圾清运不及时", "夜间噪音扰民", "道路破损坑洼"]


@events.init.add_listener
def _load(environment, **_kwargs) -> None:
    path = os.environ.get("LIANXIN_BENCH_DATA", "")
    if path:
        with open(path, encoding="utf-8") as fh:
            DATA.update(json.load(fh))


def ledger(entry: dict[str, Any]) -> None:
    """Append one acknowledged write to the ledger file (one JSON line, flushed at once)."""
    path = os.environ.get("LIANXIN_LEDGER", "")
    if not path:
        return
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    with _LEDGER_LOCK, open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


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
        csrf, token = _CSRF.search(page.text or ""), _FORM_TOKEN.search(page.text or "")
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
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            with self.client.post(
                "/cases/new/",
                data=data,
                name="intake post",
                allow_redirects=False,
                catch_response=True,
                headers={**self.headers(), "Referer": f"{self.host}/cases/new/"},
            ) as response:
                self._plain_cookies()
                match = _TRACK.search(response.headers.get("Location", ""))
                if response.status_code == 302 and match:
                    response.success()
                    code = match.group(1)
                    self.codes.append(code)
                    ledger({"kind": "intake", "code": code, "token": data["form_token"]})
                    break
                if response.status_code in (0, 502, 503, 504) or response.status_code >= 500:
                    response.failure(f"intake answered {response.status_code}")
                    if time.monotonic() > deadline:
                        return
                    time.sleep(1)
                    continue
                response.failure(f"intake refused: {response.status_code}")
                return
        self.get(f"/cases/t/{code}/", name="track page")

    @task(2)
    def track(self) -> None:
        codes = self.codes or DATA.get("codes") or []
        if codes:
            self.get(f"/cases/t/{random.choice(codes)}/", name="track page")


class Clerk(LianxinUser):
    """A village or grid clerk: queue, a request's page, 签收, search, map, now and then an export."""

    weight = 2
    wait_time = between(2, 6)
    roles = ("clerks",)

    def on_start(self) -> None:
        super().on_start()
        self.account = random.choice(DATA[random.choice(self.roles)])
        self.case_ids: list[int] = []
        self.logged_in = False
        self.login()

    def login(self) -> None:
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
