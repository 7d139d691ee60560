"""HTML date inputs carry ISO values whatever the locale (issue 9 item 3): in the Chinese UI an
edit form's date input shows the stored date (it was rendered 2027/01/01 and left empty)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_edit_form_date_input_shows_the_stored_date_in_chinese_ui(e2e_world, new_page):
    from lianxin.workdays.models import CalendarDay, DayKind
    from lianxin.workdays.services import calendar_day_create

    admin = e2e_world.users["county_admin"]
    calendar_day_create(actor=admin, day=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    day = CalendarDay.objects.get(date=date(2027, 1, 1))
    page = new_page()  # zh-CN browser, Chinese UI
    log_in(page, admin.username)
    page.goto(f"/workdays/days/{day.pk}/edit/")
    assert page.locator("html").get_attribute("lang").startswith("zh")
    field = page.locator("input[name=date]")
    assert field.get_attribute("type") == "date"
    assert field.input_value() == "2027-01-01"
