"""Writes to a team's partner list: partners and their contacts."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerboard.accounts.models import Kind, Role, Team, User
from partnerboard.accounts.services import require_role
from partnerboard.errors import RuleError
from partnerboard.partners.models import Contact, Partner
from partnerboard.partners.names import name_key

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH = 200
# The column sizes of Partner.website and Contact.email. PostgreSQL rejects a longer value with a
# database error, which would fail the form with a server error or roll back a whole CSV import.
MAX_WEBSITE_LENGTH = 300
MAX_EMAIL_LENGTH = 254
# Rows per INSERT in create_partners_unchecked. Django lowers it on SQLite, whose statements take at
# most 999 parameters. PostgreSQL takes 65,535, well above 500 rows of a partner's nine columns.
BULK_BATCH_SIZE = 500


class InvalidPartner(RuleError):
    pass


class DuplicatePartner(RuleError):
    status = 409


@dataclass
class PartnerData:
    """The editable fields of a partner, as typed by a person or read from a CSV row."""

    name: str
    kind: str
    website: str = ""
    notes: str = ""
    contacts: list[tuple[str, str]] = field(default_factory=list)


def clean_website(website: str) -> str:
    website = (website or "").strip()
    if not website:
        return ""
    if "://" not in website:
        website = "https://" + website
    # Checked after the scheme is added, because the scheme counts towards the column size too.
    if len(website) > MAX_WEBSITE_LENGTH:
        raise InvalidPartner(
            _("Website %(value)r has %(length)d characters; the maximum is %(maximum)d.")
            % {"value": website[:40] + "…", "length": len(website), "maximum": MAX_WEBSITE_LENGTH}
        )
    try:
        URLValidator(schemes=["http", "https"])(website)
    except ValidationError:
        raise InvalidPartner(
            _("Website %(value)r is not a valid web address; use a form like https://example.com.") % {"value": website}
        ) from None
    return website


def clean_email(email: str) -> str:
    email = (email or "").strip()
    # Django's validate_email accepts up to 320 characters, more than the column takes.
    if len(email) > MAX_EMAIL_LENGTH:
        raise InvalidPartner(
            _("Contact email %(value)r has %(length)d characters; the maximum is %(maximum)d.")
            % {"value": email[:40] + "…", "length": len(email), "maximum": MAX_EMAIL_LENGTH}
        )
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidPartner(
            _("Contact email %(value)r is not a valid address; use a form like name@example.com.") % {"value": email}
        ) from None
    return email


def clean_partner_data(data: PartnerData) -> PartnerData:
    """Return `data` trimmed and checked, or raise InvalidPartner naming the bad value."""
    name = " ".join((data.name or "").split())
    if not name:
        raise InvalidPartner(_("A partner needs a name."))
    # NFKC can lengthen a name ("㍿" becomes four letters), and name_key has the same column size.
    length = max(len(name), len(name_key(name)))
    if length > MAX_NAME_LENGTH:
        raise InvalidPartner(
            _("Partner name %(name)r has %(length)d characters; the maximum is %(maximum)d.")
            % {"name": name[:40] + "…", "length": length, "maximum": MAX_NAME_LENGTH}
        )
    if data.kind not in Kind.values:
        raise InvalidPartner(
            _("Partner kind %(kind)r is not valid; use saas or agency.") % {"kind": data.kind}
        )
    contacts = [((contact_name or "").strip()[:200], clean_email(email)) for contact_name, email in data.contacts]
    return PartnerData(
        name=name,
        kind=data.kind,
        website=clean_website(data.website),
        notes=(data.notes or "").strip(),
        contacts=contacts,
    )


def find_duplicate(team: Team, name: str, exclude: Partner | None = None) -> Partner | None:
    duplicates = Partner.objects.filter(team=team, name_key=name_key(name))
    if exclude is not None:
        duplicates = duplicates.exclude(pk=exclude.pk)
    return duplicates.first()


def _duplicate_error(team: Team, existing: Partner) -> DuplicatePartner:
    state = _(" (archived)") if existing.is_archived else ""
    return DuplicatePartner(
        _("%(team)s already has a partner named “%(name)s”%(state)s; edit that one instead.")
        % {"team": team.name, "name": existing.name, "state": state}
    )


def create_partner_unchecked(team: Team, data: PartnerData) -> Partner:
    """Insert a partner from already cleaned data; the caller owns the transaction and the checks."""
    partner = Partner.objects.create(
        team=team,
        name=data.name,
        name_key=name_key(data.name),
        kind=data.kind,
        website=data.website,
        notes=data.notes,
    )
    Contact.objects.bulk_create(
        Contact(team=team, partner=partner, name=contact_name, email=email) for contact_name, email in data.contacts
    )
    return partner


def create_partners_unchecked(team: Team, partners: Sequence[PartnerData]) -> list[Partner]:
    """Insert many partners from already cleaned data in batched INSERTs, as the CSV import does.

    The caller owns the transaction and the checks. Contacts need the partners' ids, which
    bulk_create sets on both SQLite (3.35 or newer) and PostgreSQL.
    """
    created = Partner.objects.bulk_create(
        (
            Partner(
                team=team,
                name=data.name,
                name_key=name_key(data.name),
                kind=data.kind,
                website=data.website,
                notes=data.notes,
            )
            for data in partners
        ),
        batch_size=BULK_BATCH_SIZE,
    )
    Contact.objects.bulk_create(
        (
            Contact(team=team, partner=partner, name=contact_name, email=email)
            for partner, data in zip(created, partners, strict=True)
            for contact_name, email in data.contacts
        ),
        batch_size=BULK_BATCH_SIZE,
    )
    return created


def create_partner(actor: User, team: Team, data: PartnerData) -> Partner:
    require_role(actor, team, Role.MEMBER)
    data = clean_partner_data(data)
    try:
        with transaction.atomic():
            existing = find_duplicate(team, data.name)
            if existing is not None:
                raise _duplicate_error(team, existing)
            partner = create_partner_unchecked(team, data)
    except IntegrityError:
        existing = find_duplicate(team, data.name)
        if existing is None:
            raise
        raise _duplicate_error(team, existing) from None
    logger.info("Created partner %s in team %s", partner.public_id, team.pk)
    return partner


@transaction.atomic
def update_partner(actor: User, partner: Partner, data: PartnerData) -> Partner:
    """Replace a partner's fields and contacts; contacts kept by email keep their unsubscribe state."""
    require_role(actor, partner.team, Role.MEMBER)
    data = clean_partner_data(data)
    existing = find_duplicate(partner.team, data.name, exclude=partner)
    if existing is not None:
        raise _duplicate_error(partner.team, existing)
    partner.name = data.name
    partner.name_key = name_key(data.name)
    partner.kind = data.kind
    partner.website = data.website
    partner.notes = data.notes
    partner.save()

    kept = {contact.email.lower(): contact for contact in partner.contacts.all()}
    wanted = {}
    for contact_name, email in data.contacts:
        wanted.setdefault(email.lower(), (contact_name, email))
    partner.contacts.exclude(email__in=[kept[key].email for key in kept if key in wanted]).delete()
    for key, (contact_name, email) in wanted.items():
        contact = kept.get(key)
        if contact is None:
            Contact.objects.create(team=partner.team, partner=partner, name=contact_name, email=email)
        elif contact.name != contact_name:
            contact.name = contact_name
            contact.save(update_fields=["name"])
    return partner


@transaction.atomic
def archive_partner(actor: User, partner: Partner) -> Partner:
    require_role(actor, partner.team, Role.MEMBER)
    if partner.archived_at is None:
        partner.archived_at = timezone.now()
        partner.save(update_fields=["archived_at"])
    return partner


@transaction.atomic
def restore_partner(actor: User, partner: Partner) -> Partner:
    require_role(actor, partner.team, Role.MEMBER)
    partner.archived_at = None
    partner.save(update_fields=["archived_at"])
    return partner
