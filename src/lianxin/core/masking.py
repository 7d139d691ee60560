"""Display masking (GB/T 35273): done on the server, so the full value never reaches the page."""

from __future__ import annotations

from lianxin.core.validators import PHONE_RE


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
