import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerboard.accounts.models import Team
from partnerboard.partners.models import Partner
from partnerboard.projects.catalog import TEMPLATES_BY_KEY


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    SHARED = "shared", _("Shared")


class ProjectQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class Project(models.Model):
    """A template deployed by a team: one board with its own copy of the stages."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(_("name"), max_length=200)
    template_key = models.CharField(max_length=40)
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    email_on_add = models.BooleanField(_("Email partners when they are added"), default=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="project_unique_name_per_team")]

    def __str__(self):
        return self.name

    @property
    def template(self):
        return TEMPLATES_BY_KEY[self.template_key]

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED


class Stage(models.Model):
    """A column of a board."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField()
    notifies = models.BooleanField(default=False)
    # The partner-facing sentence of the email sent when a card enters this stage; blank uses the default.
    email_sentence = models.TextField(blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="stage_unique_order")]

    def __str__(self):
        return self.name

    @property
    def is_first(self) -> bool:
        return self.order == 0


class Card(models.Model):
    """One partner on one project: its current stage and its place in the column."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cards")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="cards")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="cards")
    # Sparse, distinct, ascending within a stage (see positions.py).
    position = models.BigIntegerField()
    # Increased by every move; a move made from a stale page is detected by comparing it.
    version = models.PositiveIntegerField(default=1)
    stage_entered_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "partner"], name="card_unique_partner_per_project"),
            models.UniqueConstraint(fields=["stage", "position"], name="card_unique_position_per_stage"),
        ]
        indexes = [
            # Covers the board's window query (queries.board_columns), which numbers a
            # project's cards per stage by position, so it reads them in index order with no sort.
            models.Index(fields=["project", "stage", "position"], name="card_board_order_idx"),
        ]

    def __str__(self):
        return f"{self.partner} on {self.project}"


class ActivityKind(models.TextChoices):
    ADDED = "added", _("Added")
    MOVED = "moved", _("Moved")
    REORDERED = "reordered", _("Reordered")


class Activity(models.Model):
    """An event in a card's history: added or moved, the stages before and after, the actor and the time."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=10, choices=ActivityKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_stage = models.ForeignKey(Stage, on_delete=models.CASCADE, null=True, related_name="+")
    to_stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    # A key the client sends with a move so that a resubmitted request is recognised and applied once.
    request_key = models.UUIDField(null=True, blank=True)
    # Set on the move that an Undo made, pointing at the move it took back. The
    # partner's shared view leaves out both, so an undone slip never reaches it.
    undo_of = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="undone_by"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["card", "request_key"], name="activity_unique_request_per_card")
        ]
