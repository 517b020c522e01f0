"""Read a CSV partner list into rows, each with the outcome an import would have.

The browser import, the ``import-partners`` command and the tests all read
files through `read_partner_csv`, so a file previews, imports and fails the
same way everywhere. Writing the rows is `partners.import_services`' job.
"""

import csv
import io
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from partnerboard.accounts.models import Kind, Team
from partnerboard.errors import RuleError
from partnerboard.partners.models import Partner
from partnerboard.partners.names import name_key
from partnerboard.partners.services import InvalidPartner, PartnerData, clean_partner_data

# The 100-company spreadsheet in tests/fixtures is 13 KB, so a list of a few
# thousand companies stays under 1 MB. These limits stop a wrong file (every
# contact of a CRM, a database dump) before it fills memory and a preview
# page too long to read.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# Header spellings, compared after `header_key`. A file may carry several
# name-like columns (a contact's "Name" beside "Company"), so the company
# headers come first and the first one present wins.
NAME_HEADERS = (
    "company name",
    "company",
    "account name",
    "organization name",
    "organisation name",
    "organization",
    "organisation",
    "partner name",
    "partner",
    "business name",
    "brand name",
    "vendor name",
    "name",
)
KIND_HEADERS = (
    "kind",
    "type",
    "partner type",
    "partner kind",
    "company type",
    "company kind",
    "account type",
    "organization type",
    "organisation type",
)
WEBSITE_HEADERS = (
    "website",
    "web site",
    "website url",
    "company website",
    "url",
    "homepage",
    "home page",
    "domain",
    "company domain",
    "company domain name",
    "site",
    "web",
)
EMAIL_HEADERS = (
    "contact emails",
    "contact email",
    "contact email address",
    "contact e mail",
    "email",
    "emails",
    "email address",
    "e mail",
    "e mail address",
    "work email",
    "primary contact email",
)
CONTACT_NAME_HEADERS = ("contact name", "contact", "contact person", "primary contact", "primary contact name")
NOTES_HEADERS = ("notes", "note", "comments", "comment", "description")

# Values of a kind column, compared after `header_key`.
KIND_WORDS = {
    Kind.SAAS: (
        "saas",
        "saas company",
        "saas partner",
        "software",
        "software company",
        "software vendor",
        "technology",
        "technology partner",
        "tech",
        "tech partner",
        "platform",
        "product",
        "isv",
    ),
    Kind.AGENCY: (
        "agency",
        "agencies",
        "partner agency",
        "agency partner",
        "digital agency",
        "marketing agency",
        "services",
        "service",
        "service provider",
        "services partner",
        "solutions partner",
        "consultancy",
        "consulting",
        "consultant",
        "system integrator",
        "systems integrator",
    ),
}
KIND_BY_WORD = {word: kind for kind, words in KIND_WORDS.items() for word in words}

DELIMITERS = (",", ";", "\t")

# Characters that make a spreadsheet run a cell as a formula. The export
# prefixes such cells with a single quote, and the import removes one quote
# in front of them again, so a value survives the round trip unchanged.
FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
ESCAPED_FORMULA_START = re.compile(r"^'+[=+\-@\t\r]")

# C0 control characters other than tab, line feed, vertical tab, form feed
# and carriage return: none of them occurs in a text CSV file.
BINARY_CHARACTER = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class InvalidImportFile(RuleError):
    """The file as a whole cannot be read as a partner list; no row is imported."""


class RowStatus:
    CREATE = "create"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    DUPLICATE_EXISTING = "duplicate_existing"
    REJECTED = "rejected"


@dataclass
class ImportRow:
    """One record of the file: its cleaned fields and what importing it would do."""

    line: int
    name: str
    status: str
    kind: str = ""
    website: str = ""
    notes: str = ""
    contacts: list[tuple[str, str]] = field(default_factory=list)
    reason: str = ""
    duplicate_line: int | None = None
    existing_name: str = ""

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ImportRow":
        data = dict(data)
        data["contacts"] = [tuple(contact) for contact in data.get("contacts", [])]
        return cls(**data)

    def partner_data(self) -> PartnerData:
        return PartnerData(
            name=self.name, kind=self.kind, website=self.website, notes=self.notes, contacts=list(self.contacts)
        )


@dataclass
class Columns:
    """Positions of the columns the importer reads; None when the file lacks one."""

    name: int
    kind: int | None = None
    website: int | None = None
    emails: int | None = None
    contact_name: int | None = None
    notes: int | None = None


def count_statuses(rows: list[ImportRow]) -> dict[str, int]:
    counts = {RowStatus.CREATE: 0, RowStatus.DUPLICATE_IN_FILE: 0, RowStatus.DUPLICATE_EXISTING: 0, RowStatus.REJECTED: 0}
    for row in rows:
        counts[row.status] += 1
    return counts


def decode_csv(data: bytes) -> str:
    """Return the file's text, or raise InvalidImportFile if it is not UTF-8 text within the size limit."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidImportFile(
            _("The file is %(size).1f MB; the maximum is %(maximum)d MB. Split it into smaller files.")
            % {"size": len(data) / (1024 * 1024), "maximum": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if b"\x00" in data:
        raise InvalidImportFile(
            _(
                "The file contains NUL bytes, so it is not a UTF-8 text file; spreadsheets such as .xlsx and "
                "UTF-16 text are not read. Save it as CSV UTF-8 and upload that file."
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidImportFile(
            _("The file is not valid UTF-8 text (invalid byte at position %(position)d). Save it as CSV UTF-8 and upload that file.")
            % {"position": error.start}
        ) from None
    binary = BINARY_CHARACTER.search(text)
    if binary is not None:
        line = text.count("\n", 0, binary.start()) + 1
        raise InvalidImportFile(
            _("The file contains the control character U+%(code)04X on line %(line)d, so it is not a text CSV file.")
            % {"code": ord(binary.group()), "line": line}
        )
    if not text.strip():
        raise InvalidImportFile(_('The file is empty; expected a CSV file with a header row such as "Name".'))
    return text


def detect_delimiter(text: str) -> str:
    """Return the separator of the header line: the most frequent of comma, semicolon and tab outside quotes."""
    header = next(line for line in re.split(r"\r\n|\r|\n", text) if line.strip())
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for character in header:
        if character == '"':
            quoted = not quoted
        elif not quoted and character in counts:
            counts[character] += 1
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def header_key(cell: str) -> str:
    """Return a header or kind cell in the form the lookup tables use: "Company_Name " is "company name"."""
    cell = unicodedata.normalize("NFKC", cell).casefold()
    return " ".join(re.sub(r"[_\-.:*#()]+", " ", cell).split())


def unescape_cell(cell: str) -> str:
    """Return a cell trimmed and without the single quote the export puts in front of formula-like text."""
    cell = cell.strip()
    if ESCAPED_FORMULA_START.match(cell):
        cell = cell[1:].strip()
    return cell


def find_columns(header: list[str]) -> Columns:
    keys = [header_key(cell) for cell in header]

    def position(spellings):
        for spelling in spellings:
            if spelling in keys:
                return keys.index(spelling)
        return None

    name = position(NAME_HEADERS)
    if name is None:
        found = ", ".join(cell.strip()[:40] for cell in header[:12] if cell.strip()) or _("no headers")
        if len(header) > 12:
            found += ", …"
        raise InvalidImportFile(
            _('The file has no name column; expected a header such as "Name" or "Company Name". Found: %(found)s.')
            % {"found": found}
        )
    return Columns(
        name=name,
        kind=position(KIND_HEADERS),
        website=position(WEBSITE_HEADERS),
        emails=position(EMAIL_HEADERS),
        contact_name=position(CONTACT_NAME_HEADERS),
        notes=position(NOTES_HEADERS),
    )


def split_addresses(cell: str) -> list[str]:
    """Split a contact cell on commas, semicolons and line breaks outside quotes and angle brackets."""
    entries, current = [], []
    quoted = bracketed = escaped = False
    for character in cell:
        if escaped:
            escaped = False
        elif character == "\\" and quoted:
            escaped = True
        elif character == '"':
            quoted = not quoted
        elif character == "<" and not quoted:
            bracketed = True
        elif character == ">" and not quoted:
            bracketed = False
        if character in ",;\r\n" and not quoted and not bracketed:
            entries.append("".join(current))
            current = []
        else:
            current.append(character)
    entries.append("".join(current))
    return [entry.strip() for entry in entries if entry.strip()]


def parse_address(entry: str) -> tuple[str, str]:
    """Return (name, email) from `Name <email>`, `"Last, First" <email>` or a bare address."""
    match = re.fullmatch(r"(.*?)\s*<([^<>]*)>", entry, re.DOTALL)
    if match is None:
        return "", entry
    name = match.group(1).strip()
    if len(name) >= 2 and name.startswith('"') and name.endswith('"'):
        name = re.sub(r'\\(.)', r"\1", name[1:-1])
    return name, match.group(2).strip()


def read_contacts(email_cell: str, contact_name: str) -> list[tuple[str, str]]:
    contacts = [parse_address(entry) for entry in split_addresses(email_cell)]
    if len(contacts) == 1 and not contacts[0][0] and contact_name:
        contacts = [(contact_name, contacts[0][1])]
    unique = {}
    for name, email in contacts:
        unique.setdefault(email.casefold(), (name, email))
    return list(unique.values())


def read_kind(value: str, default_kind: str) -> str:
    if not value:
        return default_kind
    kind = KIND_BY_WORD.get(header_key(value))
    if kind is None:
        raise InvalidPartner(
            _("Kind %(value)r is not recognised; use SaaS or agency, or leave the cell empty to use the kind chosen for the import.")
            % {"value": value}
        )
    return kind


def read_row(cells: list[str], columns: Columns, width: int, default_kind: str) -> PartnerData:
    """Return the cleaned partner of one record, or raise InvalidPartner naming the bad value."""
    extra = [cell for cell in cells[width:] if cell.strip()]
    if extra:
        raise InvalidPartner(
            _("The row has %(count)d cells but the header has %(width)d; put values containing the separator in double quotes.")
            % {"count": len(cells), "width": width}
        )

    def cell(position):
        if position is None or position >= len(cells):
            return ""
        return unescape_cell(cells[position])

    data = PartnerData(
        name=cell(columns.name),
        kind=read_kind(cell(columns.kind), default_kind),
        website=cell(columns.website),
        notes=cell(columns.notes),
        contacts=read_contacts(cell(columns.emails), cell(columns.contact_name)),
    )
    return clean_partner_data(data)


def read_records(text: str):
    """Yield (line, cells) per record; `line` is the physical line where the record starts."""
    # strict: without it, a quote that is never closed turns the rest of the file into one cell, and
    # the rows after it disappear from the preview and the import without a word.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text), strict=True)
    previous_line = 0
    try:
        for cells in reader:
            start_line = previous_line + 1
            previous_line = reader.line_num
            yield start_line, cells
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise InvalidImportFile(
                _("The row that starts on line %(line)d has a quoted field that is never closed; add the missing quote (\") and upload the file again.")
                % {"line": previous_line + 1}
            ) from None
        raise InvalidImportFile(
            _("The file cannot be read as CSV from line %(line)d: %(error)s.")
            % {"line": previous_line + 1, "error": error}
        ) from None


def read_partner_csv(data: bytes, default_kind: str) -> list[ImportRow]:
    """Return every record of the file as a row that will be created, is a duplicate in the file, or is rejected.

    Raises InvalidImportFile when the file is not UTF-8 text, is too large or
    has no name column. Blank records are skipped. Duplicates of partners
    already in a team's list are marked by `mark_existing_duplicates`.
    """
    if default_kind not in Kind.values:
        raise InvalidImportFile(_("Kind %(kind)r is not valid; use saas or agency.") % {"kind": default_kind})
    records = (record for record in read_records(decode_csv(data)) if any(cell.strip() for cell in record[1]))
    first = next(records, None)
    if first is None:
        raise InvalidImportFile(_('The file is empty; expected a CSV file with a header row such as "Name".'))
    header_line, header = first
    columns = find_columns(header)

    rows = []
    first_line_by_key = {}
    for line, cells in records:
        if len(rows) == MAX_ROWS:
            raise InvalidImportFile(
                _("The file has more than %(maximum)d rows; split it into smaller files.") % {"maximum": MAX_ROWS}
            )
        try:
            partner = read_row(cells, columns, len(header), default_kind)
        except InvalidPartner as error:
            name = " ".join(unescape_cell(cells[columns.name]).split()) if columns.name < len(cells) else ""
            rows.append(ImportRow(line=line, name=name, status=RowStatus.REJECTED, reason=error.message))
            continue
        row = ImportRow(
            line=line,
            name=partner.name,
            status=RowStatus.CREATE,
            kind=partner.kind,
            website=partner.website,
            notes=partner.notes,
            contacts=partner.contacts,
        )
        key = name_key(partner.name)
        if key in first_line_by_key:
            row.status = RowStatus.DUPLICATE_IN_FILE
            row.duplicate_line = first_line_by_key[key]
        else:
            first_line_by_key[key] = line
        rows.append(row)

    if not rows:
        raise InvalidImportFile(
            _("The file has a header row on line %(line)d but no partner rows below it.") % {"line": header_line}
        )
    return rows


def mark_existing_duplicates(team: Team, rows: list[ImportRow]) -> list[ImportRow]:
    """Mark rows whose name matches a partner already in the team's list, archived ones included.

    A file row marked as a duplicate of an earlier row whose name exists in
    the list is a duplicate of that partner too.
    """
    existing = dict(Partner.objects.filter(team=team).values_list("name_key", "name"))
    for row in rows:
        if row.status not in (RowStatus.CREATE, RowStatus.DUPLICATE_IN_FILE):
            continue
        match = existing.get(name_key(row.name))
        if match is not None:
            row.status = RowStatus.DUPLICATE_EXISTING
            row.duplicate_line = None
            row.existing_name = match
    return rows


def preview_import(team: Team, data: bytes, default_kind: str) -> list[ImportRow]:
    """Return the rows of the file with the outcome importing them into `team` would have now."""
    return mark_existing_duplicates(team, read_partner_csv(data, default_kind))
