"""A grid worker with no signal (Chromium, 390 px): the offline page keeps working from its
service worker, a visit with a photo and an on-the-spot request wait in IndexedDB through a
reload, and both arrive exactly once when the signal is back (issue 15, bullets 4 and 8)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

REPLAY = """async ([url, fields]) => {
  const data = await (await fetch("/field/data.json")).json();
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const resp = await fetch(url, {method: "POST", body: form, headers: {"X-CSRFToken": data.csrf}});
  return [resp.status, await resp.json()];
}"""


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def _states(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-testid=field-item]", "items => items.map(i => i.dataset.state)"
    )


def test_offline_visit_with_photo_and_request_arrive_once(
    e2e_world, new_page, quiet_server, settings, tmp_path
):
    from lianxin.cases.models import Case, CasePhoto
    from lianxin.visits.models import Visit
    from tests.cases.factories import category

    settings.MEDIA_ROOT = tmp_path / "media"
    infra = category()
    household = e2e_world.households["a"]
    errors: list[str] = []
    page = new_page(phone=True)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_viewport_size({"width": 390, "height": 844})
    context = page.context
    log_in(page, "grid_a1")

    # Online once: the worker installs, precaches the shell, the grid's data lands in IndexedDB.
    page.goto("/visits/today/")
    page.click("[data-testid=field-link]")
    page.wait_for_selector("body[data-synced='1']")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.state)") == "activated"
    assert page.locator("[data-testid=field-household]", has_text="A-0001").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    before_visits, before_cases = Visit.objects.count(), Case.objects.count()

    context.set_offline(True)
    page.wait_for_selector("[data-testid=field-net][data-online='0']")
    page.select_option("#visit-household", str(household.pk))
    page.select_option("#visit-kind", "care")
    page.fill("#visit-met", "户主")
    page.fill("#visit-notes", "屋顶漏水，老人独居")
    page.click("label[for=need-3]")  # 助老
    page.set_input_files(
        "#visit-photo", files=[{"name": "door.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    page.click("[data-testid=field-visit-save]")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=field-item]').length === 1"
    )
    page.select_option("#case-household", str(household.pk))
    page.select_option("#case-category", str(infra.pk))
    page.fill("#case-title", "屋顶漏水需维修")
    page.fill("#case-description", "雨天漏水，屋内受潮")
    page.click("[data-testid=field-case-save]")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=field-item]').length === 2"
    )
    assert _states(page) == ["queued", "queued"]

    # A reload with no signal: the shell comes from the service worker, the queue from IndexedDB.
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector("body[data-ready='1']")
    assert _states(page) == ["queued", "queued"]
    texts = page.locator("[data-testid=field-item-state]").all_inner_texts()
    assert texts == ["待发送", "待发送"]
    assert "含照片" in page.locator("[data-testid=field-item]").first.inner_text()
    assert page.locator("[data-testid=field-household]", has_text="A-0001").count() == 1
    quiet_server.wait_idle()
    assert (Visit.objects.count(), Case.objects.count()) == (before_visits, before_cases)

    context.set_offline(False)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=field-item]')]"
        ".filter(i => i.dataset.state === 'sent').length === 2",
        timeout=40_000,
    )
    assert page.locator("[data-testid=field-item-state]").all_inner_texts() == ["已发送", "已发送"]
    quiet_server.wait_idle()
    visit = Visit.objects.get()
    case = Case.objects.get()
    assert Visit.objects.count() == before_visits + 1 and Case.objects.count() == before_cases + 1
    assert visit.household == household and visit.kind == "care" and visit.photo
    assert visit.needs == ["助老"] and visit.met == "户主"
    assert case.title == "屋顶漏水需维修" and case.grid == e2e_world.grid_a1
    assert case.created_by == e2e_world.users["grid_a1"]

    # The same items sent again (a lost answer, a second tab): the first rows, nothing new.
    keys = page.eval_on_selector_all(
        "[data-testid=field-item]", "items => items.map(i => [i.dataset.kind, i.dataset.key])"
    )
    for kind, key in keys:
        url = "/field/sync/visit" if kind == "visit" else "/field/sync/case"
        fields = {"key": key, "household": str(household.pk), "kind": "care"}
        if kind == "case":
            fields.update(category=str(infra.pk), title="屋顶漏水需维修")
        status, body = page.evaluate(REPLAY, [url, fields])
        assert status == 200 and body["created"] is False
        assert body["id"] == (visit.pk if kind == "visit" else case.pk)
    quiet_server.wait_idle()
    assert Visit.objects.count() == before_visits + 1 and Case.objects.count() == before_cases + 1
    assert CasePhoto.objects.filter(case=case).count() == 0  # the photo went with the visit
    assert errors == []


def test_refused_request_is_corrected_and_resent(e2e_world, new_page, quiet_server):
    """The household has no phone on file: the request comes back 被退回 with the reason, the
    worker types a contact phone in the same item, and it arrives once (the same key)."""
    from lianxin.cases.models import Case
    from lianxin.people.models import Person
    from tests.cases.factories import category

    Person.objects.filter(household=e2e_world.households["a"]).update(phone="")
    infra = category()
    page = new_page(phone=True)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "grid_a1")
    page.goto("/field/")
    page.wait_for_selector("body[data-synced='1']")
    page.select_option("#case-household", str(e2e_world.households["a"].pk))
    page.select_option("#case-category", str(infra.pk))
    page.fill("#case-title", "路灯不亮")
    page.click("[data-testid=field-case-save]")
    item = page.locator("[data-testid=field-item][data-state=refused]")
    item.wait_for(timeout=30_000)
    key = item.get_attribute("data-key")
    assert "被退回（该户没有登记电话，请填写联系电话。）" in item.inner_text()
    item.locator("[data-testid=field-item-edit]").click()
    # the form is filled back from the queue asynchronously (IndexedDB): wait for it
    expect(page.locator("#case-title")).to_have_value("路灯不亮")
    expect(page.locator("#case-phone.is-invalid")).to_have_count(1)
    page.fill("#case-phone", "09381234567")
    page.click("[data-testid=field-case-save]")
    page.locator(f"[data-testid=field-item][data-key='{key}'][data-state=sent]").wait_for(
        timeout=30_000
    )
    assert page.locator("[data-testid=field-item]").count() == 1
    quiet_server.wait_idle()
    case = Case.objects.get()
    assert case.reporter_phone == "09381234567" and case.idempotency_key.endswith(key)
