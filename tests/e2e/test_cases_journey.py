"""A resident reports on a phone, a grid worker accepts and transfers, the department
resolves, the resident rates 满意 on the tracking page, and the county's rates count it."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buf, format="PNG")
    return buf.getvalue()


def test_request_end_to_end(e2e_world, new_page, browser, live_server, settings, tmp_path):
    from lianxin.cases.models import Case, CasePhoto, Rating, State
    from tests.cases.factories import ensure_categories

    settings.MEDIA_ROOT = tmp_path
    ensure_categories()
    w = e2e_world
    from lianxin.cases.models import Category

    light = Category.objects.get(code="infra-light")

    # 1. resident on a phone (390×844, as the issue asks)
    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        base_url=live_server.url,
    )
    phone.set_default_timeout(15_000)
    page = phone.new_page()
    log_in(page, "13900000001")
    page.goto(f"/cases/new/?u={w.grid_a1.code}")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.select_option("select[name=category]", str(light.pk))
    page.fill("input[name=title]", "小区门口路灯不亮")
    page.fill("textarea[name=description]", "东关小区北门的路灯坏了一个星期，晚上很黑。")
    page.fill("input[name=reporter_phone]", "13900000001")
    page.set_input_files(
        "input[name=photo]",
        files=[{"name": "light.png", "mimeType": "image/png", "buffer": _png()}],
    )
    page.click("[data-testid=intake-submit]")
    page.locator("[data-testid=tracking-code]").wait_for()
    code = page.locator("[data-testid=tracking-code]").inner_text().strip()
    case = Case.objects.get(code=code)
    assert case.grid == w.grid_a1 and CasePhoto.objects.filter(case=case).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    # 2. grid worker accepts and transfers to the department (htmx, no reload)
    staff = new_page(phone=True)
    log_in(staff, "grid_a1")
    staff.goto(f"/cases/{case.pk}/")
    staff.click("[data-testid=act-accept]")
    staff.locator("[data-testid=case-state]:has-text('已签收')").wait_for()
    staff.select_option("[data-testid=to-unit]", str(w.department.pk))
    staff.fill("#lx-case-panel input[name=note] >> nth=0", "属住建部门职责")
    staff.click("[data-testid=act-transfer]")
    staff.locator("[data-testid=owner]:has-text('县住建局')").wait_for()
    case.refresh_from_db()
    assert case.owner_unit == w.department and case.state == State.SUBMITTED

    # 3. the department accepts and resolves
    dept = new_page()
    log_in(dept, "dept")
    dept.goto(f"/cases/{case.pk}/")
    dept.click("[data-testid=act-accept]")
    dept.locator("[data-testid=act-resolve]").wait_for()
    dept.fill("textarea[name=resolution]", "已更换路灯灯头，恢复照明")
    dept.click("[data-testid=act-resolve]")
    dept.locator("[data-testid=case-state]:has-text('已办结待评价')").wait_for()

    # 4. the resident rates 满意 on the tracking page
    page.goto(f"/cases/t/{code}/")
    assert "已更换路灯灯头" in page.content()
    page.check("input[name=rating][value=satisfied]")
    page.fill("textarea[name=comment]", "修得很快，谢谢")
    page.click("[data-testid=evaluate-submit]")
    page.locator("[data-testid=case-state]:has-text('已关闭')").wait_for()
    case.refresh_from_db()
    assert case.rating == Rating.SATISFIED

    # 5. the county's three-rates page counts it
    county = new_page()
    log_in(county, "county_admin")
    county.goto("/cases/rates/?by=unit")
    row = county.locator("[data-testid=rate-row]:has-text('县住建局')")
    assert "100.0%" in row.inner_text()  # satisfied / rated
    phone.close()
