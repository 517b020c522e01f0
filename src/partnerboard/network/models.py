import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerboard.accounts.models import Team
from partnerboard.partners.models import Partner


class Connection(models.Model):
    """A team's request that a partner's own team connect to its partner record, and what became of it.

    The request goes by email to one of the partner's contacts as a
    single-use link; only the hash of its token is stored. Accepting sets
    Partner.linked_team; disconnecting, from either side, clears it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The team whose partner list contains the partner record.
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="sent_connections")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="connections")
    email = models.EmailField(_("contact email"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    email_sent_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The partner company's team that accepted.
    linked_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="received_connections"
    )
    disconnected_at = models.DateTimeField(null=True, blank=True)
    disconnected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            # The per-address rate limit counts an address's requests of the last day.
            models.Index(fields=["email", "created_at"], name="connection_email_created_idx"),
        ]

    def __str__(self):
        return f"Connection request from {self.team} for {self.partner} to {self.email}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
