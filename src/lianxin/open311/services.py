"""Open311 ``POST requests``: a GeoReport request becomes a case through the one intake.

Rules (and why):
* The request goes through ``cases.services.case_submit`` — the same intake as the resident's
  page and the staff window, so deadlines, the grid's queue (首问责任), the timeline and the
  notifications are the same; channel 开放接口 (``Channel.API``), entered by the integration's
  service user, who is not its handler.
* Place: ``lat``/``long`` are placed in their grid the way the intake page does
  (``org.geo.grid_locate``, point in polygon); ``address_id`` is a grid's unit code (our
  master address list is the grid table); ``address_string`` alone is accepted only when the
  token's own unit is a grid (nothing here geocodes free text). The grid must lie in the
  token's unit (``org.scoping``), like the staff window's "只能登记本辖区网格内的诉求".
* A callback number (``phone``) is required: 接诉即办 calls the resident back (回访) and rates
  on it. ``email`` is not stored (collect only what a task needs); ``first_name``/``last_name``
  become the contact name (姓 + 名), the integration's name when both are missing.
* ``attribute[code]`` values are checked against the category's definition (required, type,
  list keys; unknown codes refused), kept on the ``Submission`` and written into the case's
  text (【补充信息】) so the handler sees them on the ordinary screens; so is ``media_url``.
* An ``Idempotency-Key`` header makes a retry return the first request (and a key reused for
  other content is refused), as for the open API.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.cases import services as case_services
from lianxin.cases.models import Case, Category, Channel
from lianxin.core.params import parse_datetime
from lianxin.integrations.models import Integration
from lianxin.integrations.services import record_origin
from lianxin.open311.models import Datatype, ServiceAttribute, Submission
from lianxin.org.geo import grid_locate
from lianxin.org.models import GRID_KINDS, Unit
from lianxin.org.scoping import user_scope

if TYPE_CHECKING:
    from lianxin.accounts.models import User

PHONE_RE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")  # as the intake page (cases.forms)
DESCRIPTION_MAX = 1600  # the case holds 2000: room for the attribute values and the media link
TEXT_MAX = {Datatype.STRING: 200, Datatype.TEXT: 1000}
TITLE_MAX = 30


class Open311Error(Exception):
    """A refusal in the spec's error format: HTTP ``code`` and a Chinese ``description``."""

    def __init__(self, code: int, description: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.headers = headers or {}


@dataclass
class RequestInput:
    service_code: str = ""
    description: str = ""
    lat: float | None = None
    lng: float | None = None
    address_string: str = ""
    address_id: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)
    media_url: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    idempotency_key: str = ""


def _attribute_value(attr: ServiceAttribute, raw: list[str]) -> str | list[str]:
    """One attribute's value checked against its datatype (the spec's six)."""
    values = [v.strip() for v in raw if v.strip()]
    label = f"attribute[{attr.code}]"
    if attr.datatype == Datatype.MULTIVALUELIST:
        keys = attr.value_names()
        bad = [v for v in values if v not in keys]
        if bad:
            raise Open311Error(400, _("%(f)s 的取值无效：%(v)s") % {"f": label, "v": bad[0][:40]})
        return list(dict.fromkeys(values))
    if len(values) > 1:
        raise Open311Error(400, _("%(f)s 只能有一个值。") % {"f": label})
    value = values[0]
    if attr.datatype == Datatype.SINGLEVALUELIST and value not in attr.value_names():
        raise Open311Error(400, _("%(f)s 的取值无效：%(v)s") % {"f": label, "v": value[:40]})
    if attr.datatype == Datatype.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or len(value) > 20:
            raise Open311Error(400, _("%(f)s 应为数字。") % {"f": label})
    if attr.datatype == Datatype.DATETIME and parse_datetime(value) is None:
        raise Open311Error(
            400, _("%(f)s 应为 W3C 日期时间，如 2026-11-18T10:00:00+08:00。") % {"f": label}
        )
    limit = TEXT_MAX.get(Datatype(attr.datatype), 200)
    if len(value) > limit:
        raise Open311Error(400, _("%(f)s 不能超过 %(n)d 个字。") % {"f": label, "n": limit})
    return value


def attributes_clean(
    category: Category, raw: dict[str, list[str]]
) -> tuple[dict[str, str | list[str]], list[str]]:
    """The values by code, and the lines "问题：回答" for the case's text, in definition order."""
    attrs = [a for a in category.open311_attributes.all() if a.is_active and a.variable]
    known = {a.code for a in attrs}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise Open311Error(
            400,
            _("%(c)s 没有附加字段 attribute[%(a)s]。") % {"c": category.code, "a": unknown[0][:40]},
        )
    values: dict[str, str | list[str]] = {}
    lines: list[str] = []
    for attr in attrs:
        given = [v for v in raw.get(attr.code, []) if v.strip()]
        if not given:
            if attr.required:
                raise Open311Error(
                    400,
                    _("缺少必填附加字段 attribute[%(a)s]（%(d)s）。")
                    % {"a": attr.code, "d": attr.description},
                )
            continue
        value = _attribute_value(attr, given)
        values[attr.code] = value
        names = attr.value_names()
        shown = (
            "、".join(names.get(v, v) for v in value)
            if isinstance(value, list)
            else names.get(value, value)
        )
        lines.append(f"{attr.description}：{shown}")
    return values, lines


def _grid_for(data: RequestInput, *, unit: Unit) -> Unit:
    if data.lat is not None or data.lng is not None:
        if data.lat is None or data.lng is None:
            raise Open311Error(400, _("lat 与 long 须同时提供。"))
        grid = grid_locate(lng=data.lng, lat=data.lat)
        if grid is None:
            raise Open311Error(400, _("该位置不在任何网格内。"))
        return grid
    if data.address_id:
        grid = Unit.objects.filter(
            code=data.address_id, kind__in=GRID_KINDS, is_active=True
        ).first()
        if grid is None:
            raise Open311Error(400, _("address_id 不是有效的网格编码。"))
        return grid
    if data.address_string:
        if unit.kind in GRID_KINDS:
            return unit
        raise Open311Error(
            400,
            _("仅凭 address_string 无法确定网格，请同时提供 lat/long 或 address_id（网格编码）。"),
        )
    raise Open311Error(400, _("请提供位置：lat/long、address_string 或 address_id 之一。"))


def _title(description: str) -> str:
    first = re.split(r"[。！？!?\n\r]", description.strip(), maxsplit=1)[0].strip()
    title = first or description.strip()
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def _text(description: str, lines: list[str], media_url: str) -> str:
    extra = list(lines)
    if media_url:
        extra.append(_("图片链接：%(url)s") % {"url": media_url})
    if not extra:
        return description
    heading = _("补充信息")
    return f"{description}\n\n【{heading}】\n" + "\n".join(extra)


def _clean_media_url(url: str) -> str:
    if not url:
        return ""
    if len(url) > 500:
        raise Open311Error(400, _("media_url 不能超过 500 个字符。"))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise Open311Error(400, _("media_url 应为 http(s) 链接。")) from None
    return url


def open311_request_create(
    *, user: User, integration: Integration, data: RequestInput
) -> tuple[Case, Submission, bool]:
    """Intake of one GeoReport request for the token's ``integration`` (see the module's rules).

    Returns the case, its submission and whether it is new (False: an ``Idempotency-Key``
    replay). Raises ``Open311Error``."""
    category = (
        Category.objects.filter(is_active=True, code=data.service_code)
        .prefetch_related("open311_attributes")
        .first()
        if data.service_code
        else None
    )
    if category is None:
        raise Open311Error(400, _("service_code 无效或缺失。"))
    description = data.description.strip()
    if not description:
        raise Open311Error(400, _("description 必填：请描述诉求内容。"))
    if len(description) > DESCRIPTION_MAX:
        raise Open311Error(400, _("description 不能超过 %(n)d 个字。") % {"n": DESCRIPTION_MAX})
    values, lines = attributes_clean(category, data.attributes)
    media_url = _clean_media_url(data.media_url.strip())
    phone = data.phone.strip().replace(" ", "")
    if not PHONE_RE.match(phone):
        raise Open311Error(400, _("phone 必填，且应为手机号或座机号：接诉即办须回访。"))
    grid = _grid_for(data, unit=integration.unit)
    if not user_scope(user).covers(grid):
        raise Open311Error(403, _("该位置不在本接口令牌的辖区内。"))
    name = f"{data.last_name.strip()}{data.first_name.strip()}" or integration.name
    key = data.idempotency_key
    text = _text(description, lines, media_url)
    with transaction.atomic():
        try:
            case, created = case_services.case_submit(
                title=_title(description),
                description=text,
                category=category,
                grid=grid,
                channel=Channel.API,
                reporter_name=name[:50],
                reporter_phone=phone,
                created_by=user,
                address=data.address_string.strip()[:200],
                lat=data.lat,
                lng=data.lng,
                idempotency_key=f"o311:{integration.pk}:{key}" if key else None,
            )
        except case_services.CaseError as exc:
            raise Open311Error(400, exc.messages[0]) from None
        if not created:
            submission = Submission.objects.filter(case=case).first()
            same = (case.description, case.category_id, case.grid_id, case.reporter_phone) == (
                text,
                category.pk,
                grid.pk,
                phone,
            )
            if submission is None or not same:
                # A retry carries the same request; a key reused for another is a client's bug
                # that must not silently lose the second request.
                raise Open311Error(409, _("该 Idempotency-Key 已用于另一个诉求。"))
            return case, submission, False
        record_origin(case=case, integration=integration, external_id=key)
        submission = Submission.objects.create(
            case=case,
            token=secrets.token_urlsafe(24),
            attributes=values,
            media_url=media_url,
        )
    return case, submission, True
