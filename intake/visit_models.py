"""After the visit: every alert sent to a resident's phone, and the resident's rating of the visit."""

from django.db import models
from django.utils import timezone

from .models import Submission


class AlertMessage(models.Model):
    """One alert event of one submission and how its sending went.

    The row is the claim: (submission, event) is unique, so an event sends
    at most one message however often its task runs. It keeps the masked
    number and the text, which the composer builds from the office, the
    ticket, the counter and the ticket link only — never the form's answers.
    """

    class Channel(models.TextChoices):
        ALIMTALK = "alimtalk", "알림톡 (KakaoTalk)"
        SMS = "sms", "문자 (SMS)"
        SMS_FALLBACK = "sms_fallback", "알림톡 실패 → 문자 (SMS after 알림톡 failed)"
        LOG = "log", "기록만 (log only)"
        NONE = "", "-"

    class Outcome(models.TextChoices):
        PENDING = "pending", "보내는 중 (sending)"
        SENT = "sent", "보냄 (sent)"
        FAILED = "failed", "실패 (failed)"

    submission = models.ForeignKey(Submission, null=True, on_delete=models.SET_NULL, related_name="alert_messages")
    # A queue stage ("next"), or an event and the revision it happened at ("transfer:7").
    event = models.CharField("알림 (event)", max_length=40)
    channel = models.CharField("경로 (channel)", max_length=16, choices=Channel.choices, blank=True)
    outcome = models.CharField("결과 (outcome)", max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    phone_masked = models.CharField("받는 번호 (to, masked)", max_length=20, blank=True)
    text = models.TextField("내용 (text)", blank=True)
    error = models.CharField("오류 (error)", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["submission", "event"], name="one_alert_per_event")]
        verbose_name = "알림 발송 기록 (alert sent)"
        verbose_name_plural = "알림 발송 기록 (alerts sent)"

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.event} {self.channel} {self.outcome}"


class Rating(models.Model):
    """The resident's one-tap rating of a completed 민원: a score and an optional comment, nothing personal."""

    class Score(models.IntegerChoices):
        VERY_SATISFIED = 5, "매우 만족 (very satisfied)"
        SATISFIED = 4, "만족 (satisfied)"
        NEUTRAL = 3, "보통 (neutral)"
        DISSATISFIED = 2, "불만족 (dissatisfied)"
        VERY_DISSATISFIED = 1, "매우 불만족 (very dissatisfied)"

    COMMENT_MAX = 300
    # 만족 or better counts as satisfied in the report.
    SATISFIED_FROM = Score.SATISFIED

    # One per submission, by the database.
    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField("만족도 (score)", choices=Score.choices)
    comment = models.CharField("의견 (comment)", max_length=COMMENT_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_5")]
        verbose_name = "만족도 (rating)"
        verbose_name_plural = "만족도 (ratings)"

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.score}"
