from django.core.management.base import BaseCommand, CommandError

from partnerboard.accounts.models import Kind, User
from partnerboard.accounts.services import create_team
from partnerboard.errors import RuleError


class Command(BaseCommand):
    help = "Create a team with an existing or new user as its owner."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The team's name, as its members and partners see it.")
        parser.add_argument("--kind", required=True, choices=Kind.values, help="Whether the team is a SaaS company or an agency.")
        parser.add_argument("--owner", required=True, metavar="EMAIL", help="The owner's email; a user without a password is created if none exists.")

    def handle(self, *args, name, kind, owner, **options):
        user = User.objects.filter(email__iexact=owner.strip()).first()
        created = False
        if user is None:
            user = User.objects.create_user(email=owner.strip(), password=None)
            created = True
        try:
            team = create_team(name, kind, user)
        except RuleError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Created team {team.name!r} (slug {team.slug}) owned by {user.email}.")
        if created:
            self.stdout.write(
                f"{user.email} is a new user without a password: use 'Forgot password' on the sign-in page to set one."
            )
