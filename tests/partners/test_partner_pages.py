"""The partner list: adding, editing, archiving, searching and the partner's page."""

import pytest
from django.urls import reverse

from partnerboard.accounts.models import Kind
from partnerboard.errors import RoleRequired
from partnerboard.partners.models import Contact, Partner
from partnerboard.partners.services import (
    DuplicatePartner,
    InvalidPartner,
    PartnerData,
    create_partner,
    update_partner,
)
from partnerboard.projects.services import add_partner


def test_create_trims_and_keeps_contacts(owner, team):
    partner = create_partner(
        owner,
        team,
        PartnerData(name="  Acme   Cloud ", kind=Kind.SAAS, website="acme.example", contacts=[("Ann", "ann@acme.example")]),
    )

    assert partner.name == "Acme Cloud"
    assert partner.website == "https://acme.example"
    assert list(partner.contacts.values_list("name", "email")) == [("Ann", "ann@acme.example")]


@pytest.mark.parametrize("spelling", ["INITECH", " initech ", "Ｉｎｉｔｅｃｈ", "Initech"])
def test_duplicate_name_rejected(owner, team, saas_partner, spelling):
    with pytest.raises(DuplicatePartner) as raised:
        create_partner(owner, team, PartnerData(name=spelling, kind=Kind.SAAS))

    assert str(raised.value) == "Acme Analytics already has a partner named “Initech”; edit that one instead."
    assert Partner.objects.count() == 1


def test_website_checked_after_scheme_added(owner, team):
    with pytest.raises(InvalidPartner) as raised:
        create_partner(owner, team, PartnerData(name="Acme", kind=Kind.SAAS, website="example.com/" + "a" * 285))

    assert "has 305 characters; the maximum is 300" in str(raised.value)
    assert not Partner.objects.filter(team=team).exists()


def test_name_key_length_checked(owner, team):
    with pytest.raises(InvalidPartner) as raised:
        create_partner(owner, team, PartnerData(name="Acme " + "㍿" * 50, kind=Kind.SAAS))

    assert "has 205 characters; the maximum is 200" in str(raised.value)


def test_contact_email_length_checked(owner, team):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".example"

    with pytest.raises(InvalidPartner) as raised:
        create_partner(owner, team, PartnerData(name="Acme", kind=Kind.SAAS, contacts=[("Ann", email)]))

    assert "has 316 characters; the maximum is 254" in str(raised.value)


def test_same_name_allowed_in_other_team(outsider, other_team, saas_partner):
    partner = create_partner(outsider, other_team, PartnerData(name="Initech", kind=Kind.SAAS))

    assert partner.team == other_team


@pytest.mark.parametrize(
    "data, message",
    [
        (PartnerData(name="   ", kind=Kind.SAAS), "A partner needs a name."),
        (PartnerData(name="X" * 201, kind=Kind.SAAS), "has 201 characters; the maximum is 200."),
        (PartnerData(name="Ok", kind="vendor"), "Partner kind 'vendor' is not valid; use saas or agency."),
        (PartnerData(name="Ok", kind=Kind.SAAS, website="not a site"), "Website 'https://not a site' is not a valid web address"),
        (PartnerData(name="Ok", kind=Kind.SAAS, contacts=[("Bo", "bo@")]), "Contact email 'bo@' is not a valid address"),
    ],
)
def test_invalid_partner_names_the_value(owner, team, data, message):
    with pytest.raises(InvalidPartner) as raised:
        create_partner(owner, team, data)

    assert message in str(raised.value)
    assert not Partner.objects.exists()


def test_update_keeps_unsubscribed_contact(owner, saas_partner):
    Contact.objects.filter(partner=saas_partner).update(unsubscribed_at="2026-01-01T00:00:00Z")

    update_partner(
        owner,
        saas_partner,
        PartnerData(
            name="Initech",
            kind=Kind.SAAS,
            contacts=[("Peter G.", "PETER@initech.example"), ("Joanna", "joanna@initech.example")],
        ),
    )

    contacts = {c.email.lower(): c for c in saas_partner.contacts.all()}
    assert set(contacts) == {"peter@initech.example", "joanna@initech.example"}
    assert contacts["peter@initech.example"].unsubscribed_at is not None
    assert contacts["peter@initech.example"].name == "Peter G."


def test_viewer_cannot_create_partner(viewer, team):
    with pytest.raises(RoleRequired):
        create_partner(viewer, team, PartnerData(name="Nope", kind=Kind.SAAS))

    assert not Partner.objects.exists()


def test_new_partner_form_parses_contacts(client_for, member, team):
    response = client_for(member).post(
        reverse("partners:new", args=[team.slug]),
        {"name": "Umbrella", "kind": "saas", "website": "", "notes": "", "contacts": "Alice Doe <alice@umbrella.example>\nbob@umbrella.example"},
    )

    partner = Partner.objects.get(name="Umbrella")
    assert response["Location"] == reverse("partners:detail", args=[team.slug, partner.public_id])
    assert list(partner.contacts.values_list("name", "email")) == [
        ("Alice Doe", "alice@umbrella.example"),
        ("", "bob@umbrella.example"),
    ]


def test_new_partner_form_shows_contact_line_error(client_for, member, team):
    response = client_for(member).post(
        reverse("partners:new", args=[team.slug]),
        {"name": "Umbrella", "kind": "saas", "contacts": "Alice Doe"},
    )

    assert "Line 1, &#x27;Alice Doe&#x27;, has no valid email address" in response.content.decode()
    assert not Partner.objects.filter(name="Umbrella").exists()


def test_search_and_kind_filter(client_for, owner, team, saas_partner, agency_partner):
    client = client_for(owner)
    url = reverse("partners:list", args=[team.slug])

    by_name = client.get(url, {"q": "INIT"}).content.decode()
    by_kind = client.get(url, {"kind": "agency"}).content.decode()

    assert "Initech" in by_name
    assert "Hooli Studio" not in by_name
    assert "Hooli Studio" in by_kind
    assert "Initech" not in by_kind


def test_archive_hides_from_list(client_for, owner, team, saas_partner):
    client = client_for(owner)

    archived_page = client.post(reverse("partners:archive", args=[team.slug, saas_partner.public_id]), follow=True)

    saas_partner.refresh_from_db()
    assert saas_partner.is_archived
    assert "Archived Initech." in archived_page.content.decode()
    assert "Initech" not in client.get(reverse("partners:list", args=[team.slug])).content.decode()
    archived = client.get(reverse("partners:list", args=[team.slug]), {"archived": "1"}).content.decode()
    assert "Initech" in archived


def test_partner_page_lists_projects_and_stages(client_for, owner, team, saas_partner, integrations, co_marketing):
    add_partner(owner, integrations, saas_partner)
    add_partner(owner, co_marketing, saas_partner)

    html = client_for(owner).get(reverse("partners:detail", args=[team.slug, saas_partner.public_id])).content.decode()

    assert "Integrations" in html
    assert "Co-marketing" in html
    assert html.count("Request sent") == 2
    assert "peter@initech.example" in html
