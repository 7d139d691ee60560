from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.economy.models import VillageIncome
from tests.economy.factories import make_income, second_village
from tests.economy.test_imports import _xlsx

pytestmark = pytest.mark.django_db


def test_summary_page(world, client, login):
    west = second_village(world)
    make_income(world.village_a, 2025, total=200000)
    make_income(west, 2025, total=30000)
    login(world.users["county_admin"])
    html = client.get(reverse("economy:summary") + "?year=2025").content.decode()
    assert "城关镇" in html and "洛门镇" in html
    assert "230,000.00" in html and "115,000.00" in html  # town A's total and 村均
    assert "西关村" in html  # listed as weak
    assert "1 个未填报" in html  # 张家村 has no entry


def test_summary_empty_year_and_bad_year(world, client, login):
    login(world.users["village_b"])
    assert client.get(reverse("economy:summary") + "?year=abc").status_code == 200
    html = client.get(reverse("economy:summary") + "?year=2025").content.decode()
    assert "本年度没有低于标准的村" in html and "东关" not in html


def test_town_page_and_entry(world, client, login):
    login(world.users["village_a"])
    html = client.get(reverse("economy:town", args=[world.town_a.pk])).content.decode()
    assert "东关社区" in html and "未填报" in html
    url = reverse("economy:entry", args=[world.village_a.pk, 2025])
    assert client.get(url).status_code == 200
    response = client.post(url, {"operating": "-3"})
    assert response.status_code == 200 and "不能为负数" in response.content.decode()
    assert not VillageIncome.objects.exists()
    response = client.post(url, {"operating": "88000", "tourism": "2000", "note": "好"})
    assert response.status_code == 302
    assert VillageIncome.objects.get().total == 90000
    future = reverse("economy:entry", args=[world.village_a.pk, 2030])
    assert "未来年度" in client.post(future, {"operating": "1"}).content.decode()


def test_entry_refusals(world, client, login):
    url = reverse("economy:entry", args=[world.village_a.pk, 2025])
    login(world.users["supervisor"])
    assert client.get(url).status_code == 403
    login(world.users["village_b"])
    assert client.get(url).status_code == 404
    login(world.users["county_admin"])
    assert client.get(reverse("economy:entry", args=[world.town_a.pk, 2025])).status_code == 404


def test_import_page_runs_a_dry_run_then_the_report(world, client, login):
    login(world.users["town_a"])
    assert client.get(reverse("economy:import")).status_code == 200
    data = _xlsx(
        [["620524100001", "", 2025, 1000, 0, 0, 0, 0, 0], ["x", "", 2025, 1, 0, 0, 0, 0, 0]]
    )
    response = client.post(
        reverse("economy:import"),
        {"file": SimpleUploadedFile("a.xlsx", data), "dry_run": "on"},
        follow=True,
    )
    html = response.content.decode()
    assert "试导入" in html and "不在您的管辖范围内" in html
    assert not VillageIncome.objects.exists()
    client.post(
        reverse("economy:import"), {"file": SimpleUploadedFile("a.xlsx", data)}, follow=True
    )
    assert VillageIncome.objects.count() == 1
    login(world.users["village_a"])
    assert client.get(reverse("economy:import")).status_code == 403


def test_nav_entry(world, client, login):
    login(world.users["town_a"])
    assert reverse("economy:summary") in client.get("/").content.decode()
