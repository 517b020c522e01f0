"""Writes of a CSV partner import: stage a preview, confirm it, cancel it, or import at once.

Every partner of one import is written in one transaction, so an import
that fails half-way leaves the partner list as it was.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerboard.accounts.models import Role, Team, User
from partnerboard.accounts.services import require_role
from partnerboard.errors import ConflictError
from partnerboard.partners.csv_import import ImportRow, RowStatus, count_statuses, preview_import
from partnerboard.partners.models import Partner, PartnerImport
from partnerboard.partners.names import name_key
from partnerboard.partners.services import create_partners_unchecked

logger = logging.getLogger(__name__)

# A preview left without confirm or cancel is deleted when its uploader
# stages the next import after this age, so abandoned uploads do not pile up.
STALE_IMPORT_AGE = timedelta(days=1)


class ImportConflict(ConflictError):
    """The partner list changed between the preview and the confirm, so nothing was imported."""


def import_rows(actor: User, team: Team, rows: list[ImportRow]) -> list[Partner]:
    """Create the partners of the rows marked to be created, all in one transaction.

    A row whose name reached the team's list after the preview raises
    ImportConflict and nothing is written.
    """
    require_role(actor, team, Role.MEMBER)
    wanted = [row for row in rows if row.status == RowStatus.CREATE]
    try:
        with transaction.atomic():
            existing = set(Partner.objects.filter(team=team).values_list("name_key", flat=True))
            for row in wanted:
                if name_key(row.name) in existing:
                    raise _conflict(row)
            # Batched INSERTs: with one per row, importing 20,000 rows took 32 s on a 2-core machine
            # under load, past gunicorn's default 30 s worker timeout for the confirm request.
            partners = create_partners_unchecked(team, [row.partner_data() for row in wanted])
    except IntegrityError:
        # The unique (team, name_key) constraint fired: a partner was added by
        # someone else after the check above, or the rows name one partner twice.
        logger.warning("Import into team %s hit the unique partner name constraint; nothing was written", team.pk)
        raise ImportConflict(
            _("A partner in this file was added to the list while the import ran, so nothing was imported. Upload the file again to see a new preview.")
        ) from None
    logger.info("Imported %s partners into team %s by user %s", len(partners), team.pk, actor.pk)
    return partners


def _conflict(row: ImportRow) -> ImportConflict:
    return ImportConflict(
        _("%(name)s (line %(line)d) was added to the partner list after the preview, so nothing was imported. Upload the file again to see a new preview.")
        % {"name": row.name, "line": row.line}
    )


@transaction.atomic
def stage_import(actor: User, team: Team, filename: str, data: bytes, default_kind: str) -> PartnerImport:
    """Read the file and keep its rows for a preview; raise InvalidImportFile for a file that cannot be read."""
    require_role(actor, team, Role.MEMBER)
    rows = preview_import(team, data, default_kind)
    PartnerImport.objects.filter(
        team=team,
        created_by=actor,
        status=PartnerImport.Status.PENDING,
        created_at__lt=timezone.now() - STALE_IMPORT_AGE,
    ).delete()
    partner_import = PartnerImport.objects.create(
        team=team,
        created_by=actor,
        filename=filename[:255],
        default_kind=default_kind,
        rows=[row.to_json() for row in rows],
    )
    logger.info(
        "Staged import %s of %s rows into team %s by user %s: %s",
        partner_import.public_id,
        len(rows),
        team.pk,
        actor.pk,
        count_statuses(rows),
    )
    return partner_import


def confirm_import(actor: User, partner_import: PartnerImport) -> int:
    """Create the previewed partners and return how many were created.

    Confirming an import that is already confirmed, such as a second click on
    the button, creates nothing and returns the first confirm's count.
    """
    team = partner_import.team
    require_role(actor, team, Role.MEMBER)
    with transaction.atomic():
        # Two concurrent confirms of one import run one after the other: the
        # row lock orders them on PostgreSQL, and SQLite's immediate
        # transactions order every writer. The second one reads CONFIRMED.
        locked = PartnerImport.objects.select_for_update().get(pk=partner_import.pk)
        if locked.status == PartnerImport.Status.CONFIRMED:
            return locked.created_count
        rows = [ImportRow.from_json(row) for row in locked.rows]
        partners = import_rows(actor, team, rows)
        locked.status = PartnerImport.Status.CONFIRMED
        locked.created_count = len(partners)
        locked.confirmed_at = timezone.now()
        locked.rows = []
        locked.save(update_fields=["status", "created_count", "confirmed_at", "rows"])
    logger.info("Confirmed import %s into team %s by user %s", locked.public_id, team.pk, actor.pk)
    return len(partners)


@transaction.atomic
def cancel_import(actor: User, partner_import: PartnerImport) -> None:
    """Delete a pending import; a confirmed import keeps its record and its partners."""
    require_role(actor, partner_import.team, Role.MEMBER)
    deleted, _counts = PartnerImport.objects.filter(
        pk=partner_import.pk, status=PartnerImport.Status.PENDING
    ).delete()
    logger.info("Cancelled import %s into team %s by user %s (%s deleted)", partner_import.public_id, partner_import.team_id, actor.pk, deleted)
