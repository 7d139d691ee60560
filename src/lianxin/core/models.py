"""Abstract models every app may build on, and one concrete table: ``PeriodicRun``.

``TimeStampedModel``: the two time stamps 51 models used to declare by hand, declared exactly as
they were (same verbose names, ``auto_now_add``/``auto_now``), so adopting it changes no migration.
A model whose ``created_at`` is set by the caller (``default=timezone.now``) or is named
differently keeps its own field: override ``created_at`` on the subclass.

``AppendOnlyModel``: rows that are written once and never changed or deleted (the audit trail, a
request's timeline). One guard, one exception: ``ImmutableRowError``.

``PeriodicRun``: the last minute-slot each periodic job was claimed for (``lianxin.core.joblock``),
so several ``lianxin worker`` processes run each job once per minute between them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ImmutableRowError(PermissionError, TypeError):
    """An append-only row was to be changed or deleted.

    Both a ``PermissionError`` (what the audit trail raised) and a ``TypeError`` (what the
    case timeline raised), so callers and tests of either keep working.
    """


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk ``update()`` and ``delete()`` are refused; ``create``/``bulk_create`` are fine."""

    def update(self, **kwargs: Any) -> int:
        raise ImmutableRowError(f"{self.model._meta.label} rows are immutable")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRowError(f"{self.model._meta.label} rows are immutable")


class AppendOnlyModel(models.Model):
    """Rule: a row is written once; ``save()`` of a stored row and ``delete()`` raise
    ``ImmutableRowError``. Why: it is evidence (who did what, when) and must read later exactly
    as it was written. A subclass with its own QuerySet methods derives from
    ``AppendOnlyQuerySet`` and sets ``objects = TheirQuerySet.as_manager()``.

    A new row is always INSERTed (``force_insert``), so a row built with the key of a stored one
    fails instead of overwriting it. (Django's deletion collector, e.g. ``on_delete=CASCADE`` or
    ``SET_NULL`` from a deleted parent, does not go through these methods, as before.)
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRowError(f"{self._meta.label} rows are immutable")
        if not args:
            kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRowError(f"{self._meta.label} rows are immutable")


class PeriodicRun(models.Model):
    """One row per periodic job: the last minute-slot a worker claimed it for, and who did."""

    job = models.CharField(_("周期任务"), max_length=100, unique=True)
    slot = models.DateTimeField(_("时段"))
    holder = models.CharField(_("执行进程"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("周期任务运行")
        verbose_name_plural = _("周期任务运行")

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
