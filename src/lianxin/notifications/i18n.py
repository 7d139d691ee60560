"""Notification texts kept as msgid + params, so each reader sees them in their own language.

A sender passes ``title_msg=msg("督办：%(title)s", title=case.title)``; a param that is itself a
``msg(...)`` (a translated word such as 签收) is translated too. The Chinese text is still stored
in ``title``/``body`` for outbound channels (SMS, e-mail) and for rows sent before this existed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext


def msg(msgid: str, **params: Any) -> dict:
    """A message to render later in the reader's language (``msgid`` must be marked for
    extraction where it is written, e.g. with ``gettext_noop``)."""
    return {"msgid": msgid, "params": params}


def render(message: dict | None, fallback: str) -> str:
    """``message`` in the active language; ``fallback`` when there is none or it cannot be
    rendered (a msgid/params mismatch never breaks the notification list)."""
    if not message or not isinstance(message, dict) or "msgid" not in message:
        return fallback
    params = {
        key: render(value, str(value)) if isinstance(value, dict) else value
        for key, value in (message.get("params") or {}).items()
    }
    try:
        return gettext(message["msgid"]) % params
    except (KeyError, TypeError, ValueError):
        return fallback
