"""销号 of rectification tasks (整改任务) with their after-photo (整改后照片).

Rule (issue 9, 4): a task found by an inspection or a signage check is closed only when a photo
shows the result, so the town checking the closure sees the work and not only a sentence. The
photo goes through ``core.photos.photo_clean`` (byte and pixel caps before any decoding,
re-encoded without EXIF) like every other photo, and is stored as a venue photo linked to the
task. A signage task also accepts an after-photo uploaded on its signage check page since the
task was opened (one photo of the wall shows every plaque of the check).

Nothing a clerk sends is lost on a refusal: a valid photo is kept with the task even when the
close is refused (a missing note), so the next attempt needs only what was missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.compliance import services
from lianxin.compliance.models import RectificationTask
from lianxin.compliance.rules import require
from lianxin.venues import services as venue_services
from lianxin.venues.models import PhotoKind, VenuePhoto

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def after_photos(task: RectificationTask) -> QuerySet[VenuePhoto]:
    """The task's after-photos: its own, and for a signage task its check's since it opened."""
    linked = Q(task_id=task.pk)
    if task.signage_check_id:
        linked |= Q(
            task__isnull=True,
            signage_check_id=task.signage_check_id,
            created_at__gte=task.created_at,
        )
    return VenuePhoto.objects.filter(linked, venue_id=task.venue_id, kind=PhotoKind.AFTER).order_by(
        "id"
    )


def after_photo_error(task: RectificationTask) -> dict[str, str]:
    """The refusal (keyed by form field) when a task has no after-photo yet, else nothing."""
    if after_photos(task).exists():
        return {}
    return {"photo": _("销号前请上传整改后照片。")}


@transaction.atomic
def task_photo_add(*, actor: User, task: RectificationTask, upload) -> VenuePhoto:
    """Attach an after-photo to an open task (cleaned by core.photos), audited.

    Rule ``compliance.close_task`` on the task: whoever may close it may bring its photo, and
    only while it is open (a closed task's evidence is not changed afterwards)."""
    task = (
        RectificationTask.objects.select_for_update().select_related("venue__unit").get(pk=task.pk)
    )
    require(actor, "compliance.close_task", task)
    if task.closed_on is not None:
        raise ValidationError(_("该整改任务已完成。"))
    photo = venue_services._photo_store(
        actor=actor,
        venue=task.venue,
        upload=upload,
        kind=PhotoKind.AFTER,
        task=task,
        caption=task.description[:100],
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=photo,
        reason="task_after_photo",
        extra={"task": task.pk},
    )
    return photo


def task_close_with_photo(
    *, actor: User, task: RectificationTask, note: str, upload=None
) -> RectificationTask:
    """The 销号 form: store the uploaded after-photo (if any), then close the task.

    Not one transaction on purpose: a photo that passed ``photo_clean`` stays with the task when
    the close itself is refused, so the clerk does not upload it again. An unreadable or
    oversized photo refuses the close even when an earlier photo exists (the clerk meant this one).
    Rule ``compliance.close_task`` (checked by both steps).
    """
    if upload is not None:
        try:
            task_photo_add(actor=actor, task=task, upload=upload)
        except ValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from exc
    return services.task_close(actor=actor, task=task, note=note)
