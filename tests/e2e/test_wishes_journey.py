"""An elder's wish, end to end: a clerk posts and publishes it, a party member claims it on a
phone and lights it with a photo, the clerk confirms; points and the lit count go up."""

import io

import pytest
from PIL import Image

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _jpeg() -> bytes:
    buf = io.BytesIO()
    ex = Image.Exif()
    ex[0x010F] = "CanaryCam"
    Image.new("RGB", (320, 240), (220, 40, 40)).save(buf, format="JPEG", exif=ex)
    return buf.getvalue()


def test_elder_wish_posted_claimed_on_phone_lit_and_confirmed(
    e2e_world, new_page, settings, tmp_path
):
    from lianxin.wishes.models import Wish

    settings.MEDIA_ROOT = tmp_path / "media"
    w = e2e_world

    # Before: the community's wall shows nothing lit; the party member has no points.
    anon = new_page(phone=True)
    anon.goto(f"/wishes/wall/{w.village_a.code}/")
    assert anon.locator("[data-testid=wall-lit]").inner_text() == "0"

    clerk = new_page()
    log_in(clerk, "village_a")
    clerk.goto("/wishes/new/")
    clerk.fill("input[name=title]", "想要一台收音机听秦腔")
    clerk.select_option("select[name=category]", "daily")
    clerk.select_option("select[name=unit]", str(w.grid_a1.pk))
    clerk.fill("input[name=beneficiary_name]", "王秀英")
    clerk.select_option("select[name=beneficiary_tag]", "独居老人")
    clerk.click("main button[type=submit]")
    clerk.wait_for_load_state("networkidle")
    assert "待审核" in clerk.locator("[data-testid=wish-status]").inner_text()
    clerk.click("[data-testid=publish]")
    clerk.wait_for_load_state("networkidle")
    assert "待认领" in clerk.locator("[data-testid=wish-status]").inner_text()
    wish = Wish.objects.get()

    phone = new_page(phone=True)
    log_in(phone, "13900000003")  # 甲党员
    phone.goto("/activities/mine/")
    assert phone.locator("[data-testid=my-points]").inner_text() == "0"
    phone.goto("/wishes/claim/")
    card = phone.locator("[data-testid=claimable-card]", has_text="想要一台收音机听秦腔")
    assert "王*" in card.inner_text() and "王秀英" not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    card.locator("[data-testid=quick-claim]").click()
    phone.locator("[data-testid=claimed-ok]").wait_for()
    phone.goto(f"/wishes/{wish.pk}/")
    assert "已认领" in phone.locator("[data-testid=wish-status]").inner_text()
    phone.set_input_files(
        "[data-testid=photo]",
        files=[{"name": "radio.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}],
    )
    phone.fill("input[name=note]", "收音机已送到王奶奶家")
    phone.click("[data-testid=light]")
    phone.wait_for_load_state("networkidle")
    assert "已点亮" in phone.locator("[data-testid=wish-status]").inner_text()
    img = phone.locator("[data-testid=lit-photo]")
    img.wait_for()
    assert phone.evaluate("document.querySelector('[data-testid=lit-photo]').naturalWidth") == 320
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    clerk.goto(f"/wishes/{wish.pk}/")
    clerk.fill("input[name=thanks]", "谢谢党员同志！")
    clerk.click("[data-testid=confirm]")
    clerk.wait_for_load_state("networkidle")
    assert "已确认" in clerk.locator("[data-testid=wish-status]").inner_text()
    assert "确认实现" in clerk.locator("[data-testid=timeline]").inner_text()

    # After: points and the community's lit count went up.
    phone.goto("/activities/mine/")
    assert phone.locator("[data-testid=my-points]").inner_text() == "5"
    anon.goto(f"/wishes/wall/{w.village_a.code}/")
    assert anon.locator("[data-testid=wall-lit]").inner_text() == "1"
    assert "王秀英" not in anon.content()
    clerk.goto("/wishes/stats/")
    assert clerk.locator("[data-testid=lit-total]").inner_text() == "1"
    # The photo cannot be fetched without logging in.
    assert anon.goto(f"/wishes/{wish.pk}/photo/").url.endswith(
        f"/accounts/login/?next=/wishes/{wish.pk}/photo/"
    )
