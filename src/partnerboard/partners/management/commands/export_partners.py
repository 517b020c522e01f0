import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerboard.accounts.models import Team
from partnerboard.partners.csv_export import write_partners_csv


class Command(BaseCommand):
    help = "Write a team's partner list as CSV (UTF-8, comma-separated) to standard output or a file."

    def add_arguments(self, parser):
        parser.add_argument("--team", required=True, metavar="SLUG", help="The slug of the team whose partners are exported.")
        parser.add_argument("--output", metavar="FILE", help="Write the CSV to this file instead of standard output.")
        parser.add_argument("--archived", action="store_true", help="Export the archived partners instead of the active ones.")

    def handle(self, *args, team, output, archived, **options):
        team_record = Team.objects.filter(slug=team).first()
        if team_record is None:
            raise CommandError(f"Team {team!r} not found; use the slug from the team's web address.")
        buffer = io.StringIO()
        count = write_partners_csv(team_record, buffer, archived=archived)
        if output is None:
            self.stdout.write(buffer.getvalue(), ending="")
            return
        try:
            # newline="" keeps the CRLF line ends the csv module wrote.
            with Path(output).open("w", encoding="utf-8", newline="") as handle:
                handle.write(buffer.getvalue())
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stderr.write(f"Wrote {count} partners of {team_record.slug} to {output}.")
