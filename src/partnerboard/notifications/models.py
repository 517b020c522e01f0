import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerboard.accounts.models import Team
from partnerboard.projects.models import Card, Project, Stage
from partnerboard.partners.models import Partner


class NotificationKind(models.TextChoices):
    ADDED = "added", _("Added to a project")
    STAGE = "stage", _("Entered a stage")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Notification(models.Model):
    """An email owed to a partner's contacts, written in the same transaction as the change."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="notifications")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="notifications")
    card = models.ForeignKey(Card, on_delete=models.SET_NULL, null=True, related_name="notifications")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    # The member whose change caused the email; it becomes the Reply-To.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # [{"name": ..., "email": ...}] of the partner's contacts when the change was made.
    recipients = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    due_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    smtp_response = models.TextField(blank=True)
    # When a worker last claimed the row to send it.
    attempted_at = models.DateTimeField(null=True, blank=True)
    # A row in "sending" whose lease has expired belongs to a worker that died; another may take it.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # Random per claim, so a worker that lost its lease cannot overwrite the outcome of the next claim.
    claim_token = models.CharField(max_length=32, blank=True)
    # The latest delivery task enqueued for this row (a django_tasks_db result id).
    task_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["card", "status"], name="notification_card_status_idx"),
            # The sweep and the claim look for due rows by status and time.
            models.Index(fields=["status", "due_at"], name="notification_status_due_idx"),
            # The per-team hourly limit counts a team's recent attempts.
            models.Index(fields=["team", "attempted_at"], name="notification_team_attempt_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} email to {self.partner} ({self.status})"
