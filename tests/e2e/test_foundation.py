import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_village_clerk_sees_own_village_and_is_refused_another(e2e_world, new_page):
    w = e2e_world
    page = new_page()
    log_in(page, "village_a")
    assert "东关社区" in page.locator("[data-testid=current-role]").inner_text()

    page.goto("/org/")
    page.click("[data-testid=unit-link]:has-text('东关社区')")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("东关社区")
    assert (
        page.locator("[data-testid=child-unit]").count() == 3
    )  # two grids and the party committee

    response = page.goto(f"/org/u/{w.village_b.code}/")
    assert response.status == 404
    assert "不在您的管辖范围内" in page.content()
    assert "张家村" not in page.content()


def test_reveal_writes_audit_and_shows_full_value(e2e_world, new_page):
    from lianxin.audit.models import AuditAction, AuditEvent

    w = e2e_world
    page = new_page()
    log_in(page, "grid_a1")
    page.goto(f"/people/{w.persons['a'].pk}/")
    assert "138****2222" in page.content()
    form = page.locator("#reveal-phone form")
    form.locator("input[name=reason]").fill("入户核实")
    form.locator("button").click()
    page.locator("#reveal-phone [data-testid=revealed]").wait_for()
    assert "13811112222" in page.locator("#reveal-phone").inner_text()
    assert AuditEvent.objects.filter(action=AuditAction.REVEAL, reason="入户核实").count() == 1


@pytest.mark.parametrize("username", ["village_a", "13900000001"])
def test_phone_viewport_has_no_horizontal_scroll(e2e_world, new_page, username):
    page = new_page(phone=True)
    log_in(page, username)
    for path in ("/", "/org/", "/people/", "/people/households/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def test_login_page_fits_a_phone_and_errors_in_chinese(e2e_world, new_page):
    page = new_page(phone=True)
    log_in(page, "village_a", "wrong-password")
    assert "账号或密码不正确" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
