"""Display masking (GB/T 35273): done on the server, so the full value never reaches the page."""

from __future__ import annotations

import re

from lianxin.core.validators import PHONE_RE

# a run of 7 or more digits (an ID number may end in X): a phone, an ID or a card number
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{7,}[0-9Xx]?(?![0-9])")


def mask_id_number(value: str | None) -> str:
    """'620524198001011234' -> '6205**********1234'."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """'13812345678' -> '138****5678'."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """'张三' -> '张*', '欧阳小明' -> '欧***' (public pages)."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1 if len(value) > 1 else 1)


def mask_login(value: str | None) -> str:
    """A login name as shown to people: residents and party members log in with their phone
    number, so a login name that is a phone number is masked like every other phone
    ('13812345678' -> '138****5678'); a staff login name ('zhangsan') is shown as it is."""
    if not value:
        return ""
    return mask_phone(value) if PHONE_RE.match(value) else value


def mask_numbers(value: str | None) -> str:
    """Free text a resident typed, shown to someone else (a nearby request's title on the public
    intake page): every run of 7+ digits masked like a phone or an ID number
    ('王大妈 13812345678 家门口' -> '王大妈 138****5678 家门口')."""
    if not value:
        return ""

    def one(m: re.Match[str]) -> str:
        digits = m.group(0)
        if len(digits) >= 15:
            return mask_id_number(digits)
        if len(digits) >= 11:
            return mask_phone(digits)
        return digits[:3] + "*" * (len(digits) - 3)  # a landline or a cut-off number

    return _LONG_NUMBER.sub(one, value)
