"""Transitional re-export (issue 10): the ID and phone validators live in
``lianxin.core.validators``; import them from there. The lead removes this module once no app
imports it."""

from lianxin.core.validators import (  # noqa: F401
    ID_CHECK,
    ID_RE,
    ID_WEIGHTS,
    PHONE_RE,
    id_check_digit,
    is_valid_id_number,
    normalize_id_number,
    normalize_phone,
    validate_id_number,
    validate_phone,
)
