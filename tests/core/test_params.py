"""core.params parses every query value once: bad or out of range is ignored (or 400 where the
request cannot do without it); core.forms bounds every number and date field; the API's lists
page through one bounded schema."""

from __future__ import annotations

import importlib
import inspect
from datetime import date

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse

from lianxin.core import params
from lianxin.core.forms import BoundedFieldsMixin, Form, FormTokenField, clean_form_token

HUGE = "1" + "0" * 23


def q(**kw) -> QueryDict:
    d = QueryDict(mutable=True)
    d.update(kw)
    return d


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),
        (HUGE, None),
        ("0", None),
        ("-1", None),
        ("abc", None),
        ("", None),
        ("1e3", None),
        ("１２", None),
        ("1\x00", None),
        (None, None),
    ],
)
def test_ids_are_digits_within_bigint(raw, expected):
    assert params.parse_id(raw) == expected
    assert params.get_id(q(unit=raw) if raw is not None else q(), "unit") == expected


def test_require_id_answers_400_when_bad():
    from django.core.exceptions import BadRequest

    assert params.require_id(q(to_unit="5"), "to_unit") == 5
    for bad in ("", HUGE, "x"):
        with pytest.raises(BadRequest):
            params.require_id(q(to_unit=bad), "to_unit")


def test_repeated_ids_drop_the_bad_ones_and_are_capped():
    d = QueryDict("ids=3&ids=x&ids=" + HUGE + "&ids=3&ids=4", mutable=False)
    assert params.get_ids(d, "ids") == [3, 4]
    assert (
        len(
            params.get_ids(QueryDict("&".join(f"ids={i}" for i in range(1, 400))), "ids", limit=200)
        )
        == 200
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-15", date(2026, 12, 15)),
        ("2000-01-01", date(2000, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
        ("1999-12-31", None),
        ("2101-01-01", None),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2026-02-30", None),
        ("2026-W50", None),
        ("20261215", None),
        ("", None),
        ("x" * 10_000, None),
    ],
)
def test_dates_are_iso_and_bounded(raw, expected):
    assert params.parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-16", date(2026, 12, 14)),
        ("2026-W51", date(2026, 12, 14)),
        ("2025-W53", None),
        ("9999-W99", None),
        ("9999-12-31", None),
        ("0001-01-01", None),
        ("2000-01-01", date(1999, 12, 27)),
    ],
)
def test_weeks_give_their_monday(raw, expected):
    assert params.parse_week(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12", date(2026, 12, 1)),
        ("2026-12-31", date(2026, 12, 1)),
        ("2026-13", None),
        ("0000-00", None),
        ("9999-12", None),
        ("9999-12-31", None),
        ("1999-12", None),
        ("2026-1", None),
        ("all", None),
    ],
)
def test_months_are_yyyy_mm_and_bounded(raw, expected):
    assert params.parse_month(raw) == expected
    assert params.month_text(q(month=raw), "month") == (
        expected.strftime("%Y-%m") if expected else ""
    )


def test_years_choices_ints_strings_and_pages():
    assert params.get_year(q(year="2026"), "year") == 2026
    for bad in ("-1", HUGE, "99999", "1999", "abc"):
        assert params.get_year(q(year=bad), "year", default=7) == 7
    assert params.get_choice(q(by="unit"), "by", {"unit", "month"}) == "unit"
    assert params.get_choice(q(by="x"), "by", {"unit"}, default="unit") == "unit"
    assert params.get_int(q(n="-3"), "n", min_value=-5, max_value=5) == -3
    assert params.get_int(q(n=HUGE), "n", min_value=0, max_value=5) is None
    assert params.get_str(q(q="  路灯\x00坏了  "), "q") == "路灯坏了"
    assert len(params.get_str(q(q="长" * 10_000), "q", max_length=50)) == 50
    assert params.get_page(q(page=HUGE)) == 1 and params.get_page(q(page="3")) == 3
    assert params.parse_datetime("2026-12-15T09:00").year == 2026
    assert (
        params.parse_datetime("9999-12-31T23:59") is None
        and params.parse_datetime("0001-01-01") is None
    )


class _Plain(Form):
    n = forms.IntegerField(required=False)
    d = forms.DateField(required=False)
    x = forms.DecimalField(required=False)


def test_form_number_and_date_fields_are_bounded():
    form = _Plain({"n": HUGE, "d": "0001-01-01", "x": HUGE})
    assert not form.is_valid()
    assert form.errors["n"] == ["请输入不大于 2147483647 的数。"]
    assert "1900-01-01" in form.errors["d"][0]
    assert form.errors["x"]
    assert _Plain({"n": "5", "d": "2026-12-15", "x": "3.5"}).is_valid()


def test_model_form_integer_fields_match_their_columns():
    from lianxin.rooms.forms import RoomForm

    form = RoomForm()
    assert form.fields["capacity"].max_value == 32767  # PositiveSmallIntegerField
    from lianxin.events.forms import EventEditForm

    assert (
        EventEditForm(rooms=None).fields["capacity"].max_value == 2147483647
    )  # PositiveIntegerField


def test_every_form_of_the_project_is_bounded():
    """A new form that skips core.forms.Form/ModelForm fails here."""
    from django.apps import apps

    unbounded = []
    for config in apps.get_app_configs():
        if not config.name.startswith("lianxin."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == module.__name__
                and issubclass(cls, forms.BaseForm)
                and not issubclass(cls, BoundedFieldsMixin)
            ):
                unbounded.append(f"{module.__name__}.{name}")
    assert not unbounded, f"forms not built on core.forms.Form/ModelForm: {unbounded}"


@pytest.mark.parametrize("token", ["x" * 65, "a b", "令牌", "a;b"])
def test_form_tokens_longer_than_the_column_or_malformed_are_refused(token):
    class F(Form):
        form_token = FormTokenField()

    form = F({"form_token": token})
    assert not form.is_valid()
    assert form.non_field_errors() == ["表单已失效，请刷新页面后重新填写提交。"]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        clean_form_token(token)
    assert clean_form_token("ab-C_9" * 10) == "ab-C_9" * 10


def test_api_lists_page_within_bounds(world, client, login):
    login(world.users["county_admin"])
    url = reverse("api:people_persons")
    assert client.get(url + "?limit=1&offset=1").status_code == 200
    assert len(client.get(url + "?limit=1").json()) == 1
    for bad in (
        "offset=-1",
        f"offset={HUGE}",
        "offset=100001",
        "limit=0",
        "limit=201",
        "limit=abc",
    ):
        response = client.get(f"{url}?{bad}")
        assert response.status_code == 422, bad


def test_nul_anywhere_answers_400_in_chinese(world, client, login):
    login(world.users["county_admin"])
    response = client.get(reverse("people:person_list") + "?q=a%00b")
    assert response.status_code == 400
    assert "请求中的参数无效" in response.content.decode()
    assert client.post(reverse("people:household_new"), {"address": "a\x00b"}).status_code == 400


def test_bad_filter_values_are_ignored_like_missing_ones(world, client, login):
    login(world.users["county_admin"])
    for query in (f"?unit={HUGE}", "?month=9999-12-31", "?page=" + HUGE):
        assert client.get(reverse("cases:workbench") + query).status_code == 200
    assert client.get(reverse("cases:grid_options") + f"?village={HUGE}").status_code == 200


def test_a_required_id_that_is_bad_answers_400_in_chinese(world, client, login):
    """The remove button posts the member's user id: without a usable one the request means nothing."""
    from tests.volunteers.factories import make_team

    team = make_team(world)
    login(world.users["village_a"])
    url = reverse("volunteers:team_member_remove", args=[team.pk])
    for bad in ("", "abc", HUGE, "-1"):
        response = client.post(url, {"user": bad})
        assert response.status_code == 400, bad
        assert "请求中的参数无效" in response.content.decode()
    assert client.post(url, {"user": world.users["party_a"].pk}).status_code == 302


def test_an_out_of_range_id_in_the_url_is_404(world, client, login):
    login(world.users["county_admin"])
    assert client.get(reverse("volunteers:person_record", args=[int(HUGE)])).status_code == 404
