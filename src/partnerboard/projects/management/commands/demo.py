import random

from django.core.management.base import BaseCommand
from django.db import transaction

from partnerboard.accounts.models import Kind, Team, User
from partnerboard.accounts.services import create_team
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects.catalog import TEMPLATES
from partnerboard.projects.models import Card, Stage
from partnerboard.projects.services import add_partner, deploy_project, move_card

DEMO_EMAIL = "demo@partnerboard.example"
DEMO_PASSWORD = "demo-partnerboard"

SAAS_NAMES = [
    "Northwind Analytics", "Brightdesk", "Cloudhop CRM", "Ledgerly", "Pipewise", "Formstack Labs", "Signalgrid",
    "Tallyhub", "Quillmail", "Orbit Billing", "Huddleboard", "Stackpilot", "Mapleforms", "Datadrift", "Sendlane Pro",
    "Kiteworks Cloud", "Vaultline", "Beacon Support", "Trellis HR", "Pulsepoint",
]
AGENCY_NAMES = [
    "Fieldhouse Digital", "Copper & Pine", "Northbound Growth", "Studio Meridian", "Lantern Agency",
    "Brickyard Partners", "Bluebird Consulting", "Tidewater Media", "Summit Ops", "Redwood Implementation",
]


class Command(BaseCommand):
    help = "Create a demo team with partners and all five projects so the product can be explored at once."

    def handle(self, *args, **options):
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = User.objects.create_user(email=DEMO_EMAIL, password=DEMO_PASSWORD)
        team = Team.objects.filter(memberships__user=user, name="Demo SaaS").first()
        if team is not None:
            self.stdout.write(f"The demo team already exists. Sign in as {DEMO_EMAIL} with password {DEMO_PASSWORD}.")
            return
        with transaction.atomic():
            team = create_team("Demo SaaS", Kind.SAAS, user)
            self._fill(team, user)
        self.stdout.write(
            f"Created the demo team {team.name!r} with {len(SAAS_NAMES) + len(AGENCY_NAMES)} partners and "
            f"{len(TEMPLATES)} projects. Sign in as {DEMO_EMAIL} with password {DEMO_PASSWORD}."
        )

    def _fill(self, team, user):
        rng = random.Random(7)
        partners = []
        for names, kind in ((SAAS_NAMES, Kind.SAAS), (AGENCY_NAMES, Kind.AGENCY)):
            for name in names:
                slug = name.lower().replace(" ", "").replace("&", "and")
                data = PartnerData(
                    name=name,
                    kind=kind,
                    website=f"https://{slug}.example",
                    contacts=[("Partner team", f"partners@{slug}.example")],
                )
                partners.append(create_partner(user, team, data))
        for template in TEMPLATES:
            project = deploy_project(user, team, template.key)
            # The demo's partners are invented, so filling the boards emails no one.
            project.email_on_add = False
            stages = list(Stage.objects.filter(project=project).order_by("order"))
            for partner in rng.sample(partners, 12):
                if not template.accepts(partner.kind):
                    continue
                card = add_partner(user, project, partner)
                target = rng.choice(stages)
                if target.order != 0:
                    move_card(user, Card.objects.get(pk=card.pk), target, notify_partner=False)
            project.email_on_add = True
            project.save(update_fields=["email_on_add"])
