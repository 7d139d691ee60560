"""The care tags the project ships (关爱标签): stored in Chinese on the household, shown in the
active language. A tag not in this list (typed by users or imported) is shown as stored."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CARE_TAG_LABELS = {
    "独居老人": _("独居老人"),
    "低保户": _("低保户"),
    "留守儿童": _("留守儿童"),
    "残疾人": _("残疾人"),
    "退役军人": _("退役军人"),
    "脱贫户": _("脱贫户"),
}


def care_tag_label(tag: str) -> str:
    """A stored tag in the active language (unknown tags as they are)."""
    label = CARE_TAG_LABELS.get(tag)
    return str(label) if label is not None else tag
