"""Rows the project ships read in English in the English UI (issue 9 item 7): case categories
(data migration 0002, English by 0009) and signage standards (venues 0004, English by 0006);
rows users create keep their Chinese name in either language."""

from __future__ import annotations

import pytest
from django.utils import translation

from lianxin.cases.categories import DEFAULT_TREE, NAMES_EN
from lianxin.cases.models import Category
from lianxin.compliance.models import SignageKind, SignageStandard
from lianxin.compliance.standards import STANDARDS

pytestmark = pytest.mark.django_db


def _shipped_category_codes():
    return [code for code, *_ in DEFAULT_TREE] + [c for *_, kids in DEFAULT_TREE for c, *_ in kids]


def test_every_shipped_category_has_an_english_name_in_the_english_ui():
    codes = _shipped_category_codes()
    assert set(codes) <= set(NAMES_EN)
    with translation.override("en"):
        for category in Category.objects.filter(code__in=codes):
            assert category.name_en and str(category) == category.name_en
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in str(category)), category.code
    with translation.override("zh-hans"):
        env = Category.objects.get(code="env")
        assert str(env) == "环境卫生" and env.label == "环境卫生"


def test_every_shipped_signage_standard_has_an_english_name():
    codes = [code for code, *_ in STANDARDS]
    assert SignageStandard.objects.filter(code__in=codes).count() == len(codes)
    with translation.override("en"):
        for standard in SignageStandard.objects.filter(code__in=codes):
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in standard.label), standard.code
    with translation.override("zh-hans"):
        assert SignageStandard.objects.get(code="rule-openness").label == "村务公开制度"


def test_user_created_rows_fall_back_to_chinese():
    mine = Category.objects.create(code="mine", name="自建分类")
    sign = SignageStandard.objects.create(code="mine", name="自建牌子", kind=SignageKind.PLAQUE)
    with translation.override("en"):
        assert str(mine) == "自建分类" and sign.label == "自建牌子"


def test_category_shows_in_english_on_my_requests_page(world, client, login):
    from tests.cases.factories import make_case

    make_case(world)
    login(world.users["resident_a"])
    client.cookies["lianxin_language"] = "en"
    page = client.get("/cases/mine/").content.decode()
    assert "Street lighting" in page and "路灯照明" not in page


PEOPLE_COUNTS = [
    ("名额超过了该功能室的容纳人数（%(n)d 人）。", "(1 person)"),
    ("已有 %(n)d 人报名，名额不能少于此数。", "1 person is"),
    ("已确认 %(n)d 人的志愿时长和积分。", "1 person."),
    ("候补递补 %(n)d 人。", "1 person moved"),
    ("%(n)s 人", "1 member"),
]


@pytest.mark.parametrize(("msgid", "singular"), PEOPLE_COUNTS)
def test_people_counts_are_plural_aware_in_english(msgid, singular):
    with translation.override("en"):
        one = translation.ngettext(msgid, msgid, 1) % {"n": 1}
        two = translation.ngettext(msgid, msgid, 2) % {"n": 2}
    assert singular in one and "people" not in one and "members" not in one
    assert "2 " in two and ("people" in two or "members" in two)


def test_no_count_of_people_is_translated_without_a_plural():
    """Every "N 人" message goes through ngettext / blocktranslate count (never "1 people")."""
    import pathlib
    import re

    src = pathlib.Path(__file__).resolve().parents[2] / "src" / "lianxin"
    py = re.compile(r'\b_\("[^"]*%\(n\)[ds] 人')
    html = re.compile(r"{% blocktranslate with n=[^%]*%}[^{]*{{ n }} 人")
    bad = [
        str(f.relative_to(src))
        for f in [*src.rglob("*.py"), *src.rglob("*.html")]
        if "migrations" not in f.parts
        and (py.search(f.read_text(encoding="utf-8")) or html.search(f.read_text(encoding="utf-8")))
    ]
    assert bad == []


def test_household_care_tags_read_in_english(world, client, login):
    from lianxin.people.forms import CARE_TAGS
    from lianxin.people.models import Household
    from lianxin.people.tags import care_tag_label

    with translation.override("en"):
        for tag in CARE_TAGS:
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in care_tag_label(tag)), tag
        assert care_tag_label("自定义标签") == "自定义标签"  # a user's own tag as typed
    household = Household.objects.filter(grid=world.grid_a1).first()
    household.tags = ["独居老人"]
    household.save(update_fields=["tags"])
    login(world.users["grid_a1"])
    client.cookies["lianxin_language"] = "en"
    page = client.get(f"/people/households/{household.pk}/").content.decode()
    assert "Elder living alone" in page and "独居老人" not in page


OTHER_COUNTS = [
    ("%(n)s 户", "1 household", "2 households"),
    ("责任区 %(n)s 个", "1 area", "2 areas"),
    ("%(n)s 次课", "1 session", "2 sessions"),
    ("%(n)s 项", "1 item", "2 items"),
    ("隐患 %(n)s", "1 hazard", "2 hazards"),
    ("已派单 %(n)d 件。", "Dispatched 1 request.", "Dispatched 2 requests."),
]


@pytest.mark.parametrize(("msgid", "one", "two"), OTHER_COUNTS)
def test_other_counts_are_plural_aware_in_english(msgid, one, two):
    with translation.override("en"):
        assert translation.ngettext(msgid, msgid, 1) % {"n": 1} == one
        assert translation.ngettext(msgid, msgid, 2) % {"n": 2} == two
