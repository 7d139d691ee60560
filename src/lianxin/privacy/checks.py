"""System check: every retention period is a positive number of days, and audit rows are kept at
least 180 days (网络安全法 Art. 21); a shorter audit period is refused at start-up."""

from __future__ import annotations

from django.core.checks import Error, register

AUDIT_MIN_DAYS = 180


@register()
def retention_days_check(app_configs, **kwargs):
    from django.conf import settings

    days = getattr(settings, "LIANXIN_RETENTION_DAYS", {}) or {}
    errors = []
    for kind, value in days.items():
        if not isinstance(value, int) or value <= 0:
            errors.append(
                Error(
                    f"LIANXIN_RETENTION_DAYS[{kind!r}] must be a positive number of days",
                    id="privacy.E001",
                )
            )
    if isinstance(days.get("audit"), int) and days["audit"] < AUDIT_MIN_DAYS:
        errors.append(
            Error(
                f"LIANXIN_RETENTION_DAYS['audit'] = {days['audit']}: audit rows are kept at least "
                f"{AUDIT_MIN_DAYS} days (Cybersecurity Law Art. 21)",
                id="privacy.E002",
            )
        )
    return errors
