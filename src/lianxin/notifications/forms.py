"""The person's own notification preferences: kinds per outbound channel, quiet hours."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.notifications.backends import channel_backends
from lianxin.notifications.models import Channel, NotificationKind

# The kinds a person may choose for e-mail and SMS (what happened to *their* request, wish,
# booking or event, and the staff warnings); the staff-internal ones stay in the bell.
CHOOSABLE = [
    NotificationKind.CASE_ACCEPTED,
    NotificationKind.CASE_HANDLER,
    NotificationKind.CASE_RESOLVED,
    NotificationKind.CASE_REOPENED,
    NotificationKind.WISH_PUBLISHED,
    NotificationKind.WISH_CLAIMED,
    NotificationKind.WISH_LIT,
    NotificationKind.BOOKING_APPROVED,
    NotificationKind.BOOKING_REFUSED,
    NotificationKind.BOOKING_CANCELLED,
    NotificationKind.BOOKING_REMINDER,
    NotificationKind.WAITLIST_PROMOTED,
    NotificationKind.EVENT_CHANGED,
    NotificationKind.EVENT_CANCELLED,
    NotificationKind.ASSIGNED,
    NotificationKind.WARNING,
    NotificationKind.SUPERVISE,
    NotificationKind.DIGEST,
]


class PreferenceForm(Form):
    """One checkbox list per configured channel (SMS lists only kinds with an approved
    template), and the quiet hours (both or neither)."""

    quiet_start = forms.TimeField(label=_("免打扰开始"), required=False)
    quiet_end = forms.TimeField(label=_("免打扰结束"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel_names: list[str] = []
        for backend in channel_backends():
            channel = backend.channel or ""
            kinds = [(k.value, k.label) for k in CHOOSABLE if backend.supports(k)]
            if not kinds:
                continue
            self.fields[f"ch_{channel}"] = forms.MultipleChoiceField(
                label=Channel(channel).label,
                choices=kinds,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.channel_names.append(channel)
        for name in ("quiet_start", "quiet_end"):
            self.fields[name].widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

    def channel_fields(self):
        return [self[f"ch_{c}"] for c in self.channel_names]

    def channels(self) -> dict[str, list[str]]:
        return {c: list(self.cleaned_data.get(f"ch_{c}") or []) for c in self.channel_names}

    def clean(self):
        data = super().clean()
        if (data.get("quiet_start") is None) != (data.get("quiet_end") is None):
            raise forms.ValidationError(_("请同时填写免打扰的开始和结束时间，或都不填。"))
        return data
