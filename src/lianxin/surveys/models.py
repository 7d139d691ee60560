"""民意调查: a questionnaire to the residents of a unit (its subtree) or to the attendees of an
event, its questions and options, and the one response per person with its answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet


class SurveyState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class AudienceKind(models.TextChoices):
    UNIT = "unit", _("单位居民")
    EVENT = "event", _("活动参加者")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    RATING = "rating", _("评分（1–5）")
    TEXT = "text", _("文字")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
RATING_RANGE = range(1, 6)


class Questionnaire(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("发起单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("问卷标题"), max_length=100)
    intro = models.TextField(_("说明"), max_length=1000, blank=True)
    audience_kind = models.CharField(
        _("调查对象"), max_length=8, choices=AudienceKind.choices, default=AudienceKind.UNIT
    )
    audience_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("对象单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience_event = models.ForeignKey(
        "events.Event",
        verbose_name=_("对象活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    state = models.CharField(
        _("状态"), max_length=8, choices=SurveyState.choices, default=SurveyState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="survey_dates_ordered"
            ),
            models.CheckConstraint(
                condition=(Q(audience_kind="unit") & Q(audience_unit__isnull=False))
                | (Q(audience_kind="event") & Q(audience_event__isnull=False)),
                name="survey_audience_set",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day) -> bool:
        return self.state == SurveyState.OPEN and self.opens_on <= day <= self.closes_on


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    kind = models.CharField(_("题型"), max_length=8, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=200)
    required = models.BooleanField(_("必答"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("题目")
        verbose_name_plural = _("题目")

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="options"
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    label = models.CharField(_("选项"), max_length=100)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("选项")
        verbose_name_plural = _("选项")

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="responses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "user"], name="survey_one_response_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} · {self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("答卷"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="answers"
    )
    options = models.ManyToManyField(Option, verbose_name=_("所选选项"), blank=True)
    rating = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    text = models.TextField(_("文字回答"), max_length=1000, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.response_id} · {self.question_id}"
