"""The person's preferences page and the county admin's delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.core.masking import mask_phone
from lianxin.core.paging import paginate
from lianxin.notifications import selectors
from lianxin.notifications.backends import mask_email
from lianxin.notifications.delivery import chosen_kinds, quiet_hours
from lianxin.notifications.forms import PreferenceForm
from lianxin.notifications.models import Channel, DeliveryStatus
from lianxin.notifications.services import notification_preference_save


@permission_required("notifications.change_preference")
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Which kinds reach me by e-mail or SMS, and my quiet hours (my own row only)."""
    pref = selectors.preference_for(user=request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                notification_preference_save(
                    user=request.user,
                    channels=form.channels(),
                    quiet_start=form.cleaned_data["quiet_start"],
                    quiet_end=form.cleaned_data["quiet_end"],
                    request=request,
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("通知偏好已保存。"))
                return redirect("notifications:preferences")
    else:
        hours = quiet_hours(pref)
        initial = {
            "quiet_start": hours[0] if hours else None,
            "quiet_end": hours[1] if hours else None,
        }
        form = PreferenceForm(initial=initial)
        for channel in form.channel_names:
            form.initial[f"ch_{channel}"] = sorted(chosen_kinds(pref, channel))
    user = request.user
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "phone": mask_phone(user.phone),
            "email": mask_email(user.email) if user.email else "",
            "sms_consent_at": pref.sms_consent_at if pref else None,
            "breadcrumbs": [
                {"label": _("通知"), "url": reverse("notifications:list")},
                {"label": _("通知偏好")},
            ],
        },
    )


@permission_required("notifications.view_delivery")
@require_GET
def delivery_log(request):
    """Every e-mail and SMS sent (or held, retried, failed) to the people of my county, with
    each try's provider message id or error; destinations masked."""
    status = request.GET.get("status", "")
    status = status if status in DeliveryStatus.values else ""
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    page = paginate(
        request, selectors.delivery_log(user=request.user, status=status, channel=channel)
    )
    return render(
        request,
        "notifications/deliveries.html",
        {
            "page_obj": page,
            "status": status,
            "channel": channel,
            "statuses": DeliveryStatus.choices,
            "channels": Channel.choices,
            "breadcrumbs": [{"label": _("通知发送记录")}],
        },
    )
