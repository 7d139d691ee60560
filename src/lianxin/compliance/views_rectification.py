"""销号 of a rectification task (整改任务) with its after-photo: a thin view over
compliance.rectification. The inline forms on the task list, inspection and signage pages post here;
a refusal re-renders this page with the note kept and the photos already stored."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lianxin.compliance import rectification, selectors
from lianxin.compliance.forms import TaskCloseForm
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error


def _back(value: str) -> str:
    """A page of this module to return to, never another site."""
    return value if value.startswith("/venues/") and "//" not in value and "\\" not in value else ""


@permission_required("compliance.close_task")
@require_http_methods(["GET", "POST"])
def task_close(request, pk: int):
    task = selectors.task_get(user=request.user, pk=pk)
    back = _back(request.POST.get("next", "") or request.GET.get("next", ""))
    form = TaskCloseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rectification.task_close_with_photo(
                actor=request.user,
                task=task,
                note=form.cleaned_data["note"],
                upload=form.cleaned_data["photo"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("整改任务已销号。"))
            return redirect(back or "compliance:task_list")
        task.refresh_from_db()
    return render(
        request,
        "compliance/task_close.html",
        {
            "task": task,
            "form": form,
            "photos": list(rectification.after_photos(task)),
            "next": back,
            "breadcrumbs": [
                {"label": _("阵地档案"), "url": reverse("venues:venue_list")},
                {"label": _("整改任务"), "url": reverse("compliance:task_list")},
                {"label": task.description},
            ],
        },
        status=422 if request.method == "POST" else 200,
    )
