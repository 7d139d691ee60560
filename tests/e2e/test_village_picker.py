"""Issue 9 item 4: on the public intake a resident types part of a town's name, then of a
village's, picks the village (grouped by town), its grids load, and the request is filed there."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_resident_filters_the_village_picker_and_submits(e2e_world, new_page):
    from lianxin.cases.models import Case, Category
    from lianxin.org.models import UnitKind
    from lianxin.org.services import unit_create
    from tests.cases.factories import ensure_categories

    ensure_categories()
    w = e2e_world
    # A second 东关社区, in the other town: the picker must tell the two apart.
    unit_create(
        code="620524101202",
        name="东关社区",
        kind=UnitKind.COMMUNITY,
        parent=w.town_b,
        division_code="620524101202",
    )
    light = Category.objects.get(code="infra-light")

    page = new_page(phone=True)
    page.goto("/cases/new/")
    box = page.locator("input[data-unit-filter=village]")
    box.wait_for()
    page.select_option("select[name=category]", str(light.pk))

    # Part of a town's name: only that town's group stays visible.
    box.fill("洛门")
    visible = page.eval_on_selector_all(
        "select[name=village] option:not([hidden])", "els => els.map(e => e.textContent.trim())"
    )
    assert visible == ["请选择", "张家村", "东关社区（洛门镇）"]
    assert (
        page.locator("select[name=village] optgroup[label=城关镇]").get_attribute("hidden")
        is not None
    )

    # Part of a village's name: 东关 matches one village in each town, so nothing is chosen yet.
    box.fill("东关")
    assert page.input_value("select[name=village]") == ""
    page.select_option("select[name=village]", label="东关社区（城关镇）")
    page.locator(f"select[name=grid] option[value='{w.grid_a1.pk}']").wait_for(state="attached")

    # A unique fragment picks the village by itself, and its grids load.
    box.fill("张家")
    assert page.input_value("select[name=village]") == str(w.village_b.pk)
    page.locator(f"select[name=grid] option[value='{w.grid_b1.pk}']").wait_for(state="attached")
    page.select_option("select[name=grid]", str(w.grid_b1.pk))

    page.fill("input[name=title]", "村口路灯不亮")
    page.fill("textarea[name=description]", "张家村村口的路灯坏了一个星期，晚上很黑。")
    page.fill("input[name=reporter_name]", "张大爷")
    page.fill("input[name=reporter_phone]", "13900000009")
    page.click("[data-testid=intake-submit]")
    page.locator("[data-testid=tracking-code]").wait_for()
    case = Case.objects.get(code=page.locator("[data-testid=tracking-code]").inner_text().strip())
    assert case.grid == w.grid_b1 and case.village == w.village_b
