import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_requires_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_header_shows_unit_and_role(world, client, login):
    login(world.users["village_a"])
    body = client.get(reverse("core:home")).content.decode()
    assert "东关社区" in body
    assert "村（社区）干部" in body


def test_navigation_follows_permissions(world, client, login):
    login(world.users["resident_a"])
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("people:person_list") not in body
    login(world.users["village_a"])
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("people:person_list") in body


def test_404_is_chinese(world, client, login):
    login(world.users["village_a"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_unit_page_of_other_village_is_404(world, client, login):
    login(world.users["village_b"])
    response = client.get(reverse("org:unit_detail", args=[world.village_a.code]))
    assert response.status_code == 404


def test_breadcrumbs_stop_at_the_users_scope(world, client, login):
    login(world.users["village_a"])
    body = client.get(reverse("org:unit_detail", args=[world.grid_a1.code])).content.decode()
    assert 'class="breadcrumb"' in body
    assert "东关社区" in body
    assert "武山县" not in body


def test_english_switch(world, client, login):
    login(world.users["village_a"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("core:home")).content.decode()
    assert 'lang="en"' in body
    assert "Log out" in body


@override_settings(DEBUG=False)
def test_500_page_is_chinese(client):
    from django.utils import translation

    from lianxin.core.views import server_error

    with translation.override("zh-hans"):
        response = server_error(None)
    assert response.status_code == 500
    assert "系统出了点问题" in response.content.decode()


def test_healthz(client, db):
    assert client.get(reverse("core:healthz")).json() == {"status": "ok"}


def test_security_headers(world, client, login):
    login(world.users["village_a"])
    response = client.get(reverse("core:home"))
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_chinese_is_the_default_whatever_the_browser_says(world, client, login):
    login(world.users["village_a"])
    body = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in body
    assert "退出" in body


def test_home_panels_without_items_render_no_empty_rows(world, client, login):
    from lianxin.people.models import Household

    Household.objects.filter(pk=world.households["a"].pk).update(tags=["独居老人"])
    login(world.users["village_a"])
    body = client.get(reverse("core:home")).content.decode()
    assert '<a href=""></a>' not in body


def test_unit_page_maps_only_visible_grids(world, client, login):
    import json

    login(world.users["grid_a1"])
    body = client.get(reverse("org:unit_detail", args=[world.grid_a1.code])).content.decode()
    data = json.loads(
        body.split('id="unit-grids" type="application/json">')[1].split("</script>")[0]
    )
    assert [f["properties"]["code"] for f in data["features"]] == [world.grid_a1.code]
    login(world.users["town_a"])
    body = client.get(reverse("org:unit_detail", args=[world.village_a.code])).content.decode()
    assert world.grid_a2.code in body and world.grid_b1.code not in body


def test_language_switch_names_each_language_in_itself(world, client, login):
    login(world.users["village_a"])
    body = client.get(reverse("core:home")).content.decode()
    assert ">English</option>" in body and ">简体中文</option>" in body
