"""Write a team's partner list as CSV that `csv_import` reads back unchanged."""

import csv
import io
import re

from django.db.models import Prefetch

from partnerboard.accounts.models import Kind, Team
from partnerboard.partners.csv_import import FORMULA_START
from partnerboard.partners.models import Contact, Partner

HEADER = ("Name", "Kind", "Website", "Contact emails", "Notes")

# Fixed English words, so a file reads the same whatever the interface
# language; csv_import.KIND_WORDS maps both back.
KIND_CELLS = {Kind.SAAS: "SaaS", Kind.AGENCY: "Agency"}

# Characters that make a contact name need double quotes in `Name <email>`.
ADDRESS_SPECIALS = re.compile(r'[,;<>"\\()@:\[\]\r\n]')


def escape_formula(value: str) -> str:
    """Return `value` with a leading single quote when a spreadsheet would run it as a formula."""
    if FORMULA_START.match(value):
        return "'" + value
    return value


def format_contact(contact: Contact) -> str:
    if not contact.name:
        return contact.email
    name = contact.name
    if ADDRESS_SPECIALS.search(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{contact.email}>"


def partner_cells(partner: Partner) -> list[str]:
    contacts = "\n".join(format_contact(contact) for contact in partner.contacts.all())
    cells = [partner.name, KIND_CELLS[partner.kind], partner.website, contacts, partner.notes]
    return [escape_formula(cell) for cell in cells]


def write_partners_csv(team: Team, output, archived: bool = False) -> int:
    """Write the team's active partners, or its archived ones, to the text stream `output`; return the count."""
    partners = (
        Partner.objects.filter(team=team, archived_at__isnull=not archived)
        .order_by("name_key")
        .prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("pk")))
    )
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(HEADER)
    count = 0
    for partner in partners:
        writer.writerow(partner_cells(partner))
        count += 1
    return count


def export_partners_csv(team: Team, archived: bool = False) -> str:
    output = io.StringIO()
    write_partners_csv(team, output, archived)
    return output.getvalue()
