"""The trained routing model, stored in the database so every web and worker process of the
deployment reads the same one (no shared disk needed)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import TimeStampedModel


class RoutingModel(TimeStampedModel):
    """One training run: the joblib blob of ``learn.Routing`` and what it was trained on.

    Only the worker's trainer writes it (``services.routing_model_train``); the newest row is the
    one used. Old rows are pruned after each run.
    """

    trained_at = models.DateTimeField(_("训练时间"), db_index=True)
    samples = models.PositiveIntegerField(_("样本数"))
    categories = models.PositiveIntegerField(_("分类数"), default=0)
    units = models.PositiveIntegerField(_("承办单位数"), default=0)
    blob = models.BinaryField(_("模型"))

    class Meta:
        ordering = ["-trained_at", "-id"]
        verbose_name = _("分派模型")
        verbose_name_plural = _("分派模型")

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} · {self.samples}"
