"""Transitional re-export (issue 10): masking lives in ``lianxin.core.masking``; import it from
there. The lead removes this module once no app imports it."""

from lianxin.core.masking import mask_id_number, mask_login, mask_name, mask_phone  # noqa: F401
