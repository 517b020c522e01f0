import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerboard.accounts.models import Kind, Membership, Role, Team
from partnerboard.errors import RoleRequired, RuleError
from partnerboard.partners.csv_import import MAX_FILE_BYTES, RowStatus, count_statuses, preview_import
from partnerboard.partners.import_services import import_rows


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class Command(BaseCommand):
    help = (
        "Import a CSV partner list into a team. Prints one line per duplicate or rejected row and the counts; "
        "exits with status 1 when the file cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="The CSV file to import, or - to read standard input.")
        parser.add_argument("--team", required=True, metavar="SLUG", help="The slug of the team whose partner list receives the rows.")
        parser.add_argument(
            "--kind",
            choices=Kind.values,
            help="The kind of rows without a Kind or Type value; defaults to the team's own kind.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Print what the import would do and write nothing.")
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            help="The member the import is done as; needs the member role or higher. Defaults to the team's first owner.",
        )

    def handle(self, *args, file, team, kind, dry_run, user, **options):
        team_record = Team.objects.filter(slug=team).first()
        if team_record is None:
            raise CommandError(f"Team {team!r} not found; use the slug from the team's web address.")
        actor = self.acting_user(team_record, user)
        data = self.read_file(file)

        try:
            rows = preview_import(team_record, data, kind or team_record.kind)
            if not dry_run:
                import_rows(actor, team_record, rows)
        except (RuleError, RoleRequired) as error:
            raise CommandError(error.message) from None

        for row in rows:
            if row.status == RowStatus.REJECTED:
                self.stdout.write(f"Line {row.line}: rejected: {row.reason}")
            elif row.status == RowStatus.DUPLICATE_IN_FILE:
                self.stdout.write(f"Line {row.line}: duplicate of line {row.duplicate_line}: {row.name}")
            elif row.status == RowStatus.DUPLICATE_EXISTING:
                self.stdout.write(f"Line {row.line}: duplicate of existing partner {row.existing_name}")
        counts = count_statuses(rows)
        duplicates = counts[RowStatus.DUPLICATE_IN_FILE] + counts[RowStatus.DUPLICATE_EXISTING]
        created = "Would create" if dry_run else "Created"
        self.stdout.write(
            f"{created} {counted(counts[RowStatus.CREATE], 'partner')} in {team_record.slug}; "
            f"{counted(duplicates, 'duplicate')} ({counts[RowStatus.DUPLICATE_IN_FILE]} in the file, "
            f"{counts[RowStatus.DUPLICATE_EXISTING]} already in the list); {counts[RowStatus.REJECTED]} rejected."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")

    def acting_user(self, team, email):
        memberships = Membership.objects.filter(team=team).select_related("user")
        if email:
            membership = memberships.filter(user__email__iexact=email.strip()).first()
            if membership is None:
                raise CommandError(f"{email} is not a member of {team.slug}.")
            return membership.user
        membership = memberships.filter(role=Role.OWNER).order_by("created_at", "pk").first()
        if membership is None:
            raise CommandError(f"Team {team.slug} has no owner; name a member with --user EMAIL.")
        return membership.user

    def read_file(self, file) -> bytes:
        # One byte over the limit is enough for csv_import to report the file as too large.
        if file == "-":
            return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        try:
            with Path(file).open("rb") as handle:
                return handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
