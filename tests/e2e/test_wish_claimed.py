"""Two party members on phones reach for the same wish: the second is told it is taken, by whom
(masked) and when, on the claim card and on the wish's page, never a 404."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_second_claimant_sees_who_claimed_it(e2e_world, new_page, settings, tmp_path):
    from lianxin.org.models import Role
    from lianxin.wishes.models import Wish
    from tests.conftest import make_user
    from tests.wishes.factories import make_wish

    settings.MEDIA_ROOT = tmp_path / "media"
    w = e2e_world
    wish = make_wish(w, "published", title="想要一台收音机听秦腔")
    make_user(
        "13900000009", unit=w.village_a, role=Role.PARTY_MEMBER, phone="13900000009", name="丙党员"
    )

    first, second = new_page(phone=True), new_page(phone=True)
    log_in(first, "13900000003")  # 甲党员
    log_in(second, "13900000009")  # 丙党员
    for page in (first, second):
        page.goto("/wishes/claim/")
        assert (
            page.locator("[data-testid=claimable-card]", has_text="想要一台收音机听秦腔").count()
            == 1
        )

    first.click("[data-testid=quick-claim]")
    first.wait_for_selector("[data-testid=claimed-ok]")
    assert Wish.objects.get(pk=wish.pk).claimed_by.username == "13900000003"

    # The second still has the card from before; their tap is answered in the card.
    second.click("[data-testid=quick-claim]")
    alert = second.wait_for_selector(f"#claim-{wish.pk} [role=alert]")
    text = alert.inner_text()
    assert "该心愿已被认领" in text and "甲**" in text and "甲党员" not in text

    # Opening the wish from the stale list: the claimed page, not 404.
    response = second.goto(f"/wishes/{wish.pk}/")
    assert response.status == 200
    assert "该心愿已被认领" in second.locator("[data-testid=wish-claimed]").inner_text()
    assert second.locator("[data-testid=claimed-by]").inner_text().startswith("甲**")
    second.click("[data-testid=back-to-claimable]")
    second.wait_for_load_state("networkidle")
    assert second.url.endswith("/wishes/claim/")
