import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerboard.accounts.models import Kind, Team


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class Partner(models.Model):
    """An entry in a team's partner list: another company it works with."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    # The duplicate-detection form of the name (see names.name_key); unique per team.
    name_key = models.CharField(max_length=200, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    website = models.URLField(_("website"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    linked_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="linked_partner_records"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "name_key"], name="partner_unique_name_per_team")]

    def __str__(self):
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Contact(models.Model):
    """A person at a partner who receives its emails."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), max_length=254)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email


class PartnerImport(models.Model):
    """A CSV upload read into rows, kept between its preview and its uploader's confirm or cancel.

    The rows live here rather than in the session or a temporary file, so the
    confirm request may reach any web process. Cancelling deletes the record;
    confirming empties `rows` and keeps the counts.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Imported")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255, blank=True)
    default_kind = models.CharField(max_length=10, choices=Kind.choices)
    # One dict per record of the file: ImportRow.to_json().
    rows = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Import {self.public_id} of {self.filename!r} into team {self.team_id}"
