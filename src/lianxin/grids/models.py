"""Micro-grid leaders (楼栋长/中心户长/单元长): residents who answer for a building, a cluster of
households or a stairwell, listed on the grid's public card. Grid workers are org memberships
(role ``grid_worker`` at the grid), not rows here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.org.querysets import ScopedQuerySet


class LeaderPost(models.TextChoices):
    BUILDING = "building", _("楼栋长")
    CENTRAL = "central", _("中心户长")
    UNIT = "unit", _("单元长")


class GridLeaderQuerySet(ScopedQuerySet):
    scope_fields = ("grid",)

    def active(self) -> GridLeaderQuerySet:
        return self.filter(is_active=True)


class GridLeader(models.Model):
    grid = models.ForeignKey(
        "org.Unit", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="grid_leaders"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=20, choices=LeaderPost.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = GridLeaderQuerySet.as_manager()

    class Meta:
        ordering = ["grid__code", "post", "name"]
        verbose_name = _("微网格长")
        verbose_name_plural = _("微网格长")

    def __str__(self) -> str:
        return f"{self.name} · {self.get_post_display()}"
