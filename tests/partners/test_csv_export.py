"""Writing the partner list as CSV: columns, formula escaping, and the export→import round trip."""

import csv
import io

import pytest

from partnerboard.accounts.models import Kind
from partnerboard.partners.csv_export import escape_formula, export_partners_csv
from partnerboard.partners.csv_import import RowStatus, preview_import, read_partner_csv
from partnerboard.partners.import_services import import_rows
from partnerboard.partners.models import Partner
from partnerboard.partners.services import PartnerData, archive_partner, create_partner


def records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def snapshot(team):
    """Return every exported field of the team's partners, contacts in order."""
    partners = Partner.objects.filter(team=team).order_by("name_key").prefetch_related("contacts")
    return [
        (
            partner.name,
            partner.kind,
            partner.website,
            partner.notes,
            [(contact.name, contact.email) for contact in partner.contacts.all()],
        )
        for partner in partners
    ]


def test_export_columns_and_values(team, owner):
    create_partner(
        owner,
        team,
        PartnerData(
            name="Initech",
            kind=Kind.SAAS,
            website="initech.example",
            notes="Met at SaaStr",
            contacts=[("Peter Gibbons", "peter@initech.example"), ("", "milton@initech.example")],
        ),
    )
    create_partner(owner, team, PartnerData(name="Hooli Studio", kind=Kind.AGENCY))

    rows = records(export_partners_csv(team))

    assert rows == [
        ["Name", "Kind", "Website", "Contact emails", "Notes"],
        ["Hooli Studio", "Agency", "", "", ""],
        ["Initech", "SaaS", "https://initech.example", "Peter Gibbons <peter@initech.example>\nmilton@initech.example", "Met at SaaStr"],
    ]


def test_export_active_or_archived(team, owner, saas_partner, agency_partner):
    archive_partner(owner, agency_partner)

    active = [row[0] for row in records(export_partners_csv(team))[1:]]
    archived = [row[0] for row in records(export_partners_csv(team, archived=True))[1:]]

    assert active == ["Initech"]
    assert archived == ["Hooli Studio"]


def test_export_only_own_team(team, owner, saas_partner, outsider, other_team):
    create_partner(outsider, other_team, PartnerData(name="Umbrella", kind=Kind.SAAS))

    names = [row[0] for row in records(export_partners_csv(team))[1:]]

    assert names == ["Initech"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+1 Partners", "'+1 Partners"),
        ("-Minus", "'-Minus"),
        ("@Handle", "'@Handle"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturn", "'\rReturn"),
        ("'=already quoted", "''=already quoted"),
        ("Plain", "Plain"),
        ("'plain quote", "'plain quote"),
        ("a=b", "a=b"),
    ],
)
def test_formula_escaping(value, expected):
    assert escape_formula(value) == expected


def test_export_escapes_formula_cells(team, owner):
    create_partner(owner, team, PartnerData(name="=cmd|'/C calc'!A0", kind=Kind.SAAS, notes="-2+3"))
    create_partner(owner, team, PartnerData(name="@SUM(1)", kind=Kind.SAAS, notes="+notes"))

    rows = records(export_partners_csv(team))[1:]

    assert [row[0] for row in rows] == ["'=cmd|'/C calc'!A0", "'@SUM(1)"]
    assert [row[4] for row in rows] == ["'-2+3", "'+notes"]


def test_round_trip_exact(team, owner, outsider, other_team):
    tricky = [
        PartnerData(
            name="Initech, LLC",
            kind=Kind.SAAS,
            website="https://initech.example/partners?ref=a,b",
            notes='He said "hi";\r\nsecond line, with comma\n\tindented',
            contacts=[
                ("Lumbergh, Bill", "bill@initech.example"),
                ('Peter "PG" Gibbons', "peter@initech.example"),
                ("", "milton@initech.example"),
            ],
        ),
        PartnerData(name="=1+2", kind=Kind.AGENCY, notes="-starts with minus"),
        PartnerData(name="'=quoted formula", kind=Kind.SAAS, notes="@at"),
        PartnerData(name="+Plus Agency", kind=Kind.AGENCY, contacts=[("Ünïcødé Ñame", "u@plus.example")]),
        PartnerData(name="Zürich Labs", kind=Kind.SAAS, website="zurich.example", notes="'quoted note"),
        PartnerData(name="<img src=x onerror=alert(1)>", kind=Kind.SAAS, notes="Semi;colon\tand tab"),
        PartnerData(name="Name <with> brackets", kind=Kind.SAAS, contacts=[("A <b> c", "abc@example.com")]),
    ]
    for data in tricky:
        create_partner(owner, team, data)
    exported = export_partners_csv(team)

    rows = preview_import(other_team, exported.encode("utf-8"), Kind.AGENCY)
    import_rows(outsider, other_team, rows)

    assert [row.status for row in rows] == [RowStatus.CREATE] * len(tricky)
    assert snapshot(other_team) == snapshot(team)
    assert len(snapshot(other_team)) == len(tricky)


def test_round_trip_of_browser_download(team, owner, client_for):
    create_partner(owner, team, PartnerData(name="Zürich Labs", kind=Kind.AGENCY, notes="=1"))
    response = client_for(owner).get(f"/t/{team.slug}/partners/export.csv")

    rows = read_partner_csv(response.content, Kind.SAAS)

    assert [(row.name, row.kind, row.notes) for row in rows] == [("Zürich Labs", Kind.AGENCY, "=1")]
