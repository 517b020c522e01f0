"""Reading CSV partner lists: columns, separators, kinds, duplicates, rejected rows and whole-file errors."""

import csv
from pathlib import Path

import pytest

from partnerboard.accounts.models import Kind
from partnerboard.errors import RoleRequired
from partnerboard.partners.csv_import import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    InvalidImportFile,
    RowStatus,
    count_statuses,
    preview_import,
    read_partner_csv,
)
from partnerboard.partners.import_services import ImportConflict, import_rows
from partnerboard.partners.models import Contact, Partner
from partnerboard.partners.services import BULK_BATCH_SIZE, PartnerData, archive_partner, create_partner

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "saas-companies-2025.csv"


def read(text: str, kind: str = Kind.SAAS):
    return read_partner_csv(text.encode("utf-8"), kind)


def names(rows):
    return [row.name for row in rows]


@pytest.mark.parametrize(
    "header",
    ["Name", "name", "  NAME ", "Company", "Company Name", "Company name", "company_name", "Account Name", "Organization", "Organisation", "Partner Name"],
)
def test_name_header_spellings(header):
    rows = read(f"{header},Founded\nAcme Analytics,2010\n")

    assert names(rows) == ["Acme Analytics"]
    assert rows[0].status == RowStatus.CREATE


def test_company_column_preferred_over_name():
    rows = read("Name,Company,Email\nPeter Gibbons,Initech,peter@initech.example\n")

    assert names(rows) == ["Initech"]


def test_utf8_bom_skipped():
    data = "\ufeffCompany Name,HQ\nZürich Labs,Zürich\n".encode("utf-8")

    rows = read_partner_csv(data, Kind.SAAS)

    assert names(rows) == ["Zürich Labs"]


def test_semicolon_separator():
    rows = read("Name;Website;Notes\nAcme, Inc.;acme.example;big, friendly\n")

    assert names(rows) == ["Acme, Inc."]
    assert rows[0].website == "https://acme.example"
    assert rows[0].notes == "big, friendly"


def test_tab_separator():
    rows = read("Name\tWebsite\nAcme; Inc.\thttps://acme.example\n")

    assert names(rows) == ["Acme; Inc."]
    assert rows[0].website == "https://acme.example"


def test_quoted_separator_and_line_break():
    text = 'Name,Notes,Email\n"Initech, LLC","first line\nsecond, line",peter@initech.example\nHooli,,\n'

    rows = read(text)

    assert names(rows) == ["Initech, LLC", "Hooli"]
    assert rows[0].notes == "first line\nsecond, line"
    assert [row.line for row in rows] == [2, 4]


def test_cells_trimmed():
    rows = read("Name , Website \n  Acme   Analytics  ,  acme.example  \n")

    assert names(rows) == ["Acme Analytics"]
    assert rows[0].website == "https://acme.example"


def test_kind_column_words():
    text = "Name,Type\nA,SaaS\nB,software\nC,Technology\nD,platform\nE,Agency\nF,services\nG,Consultancy\nH,partner agency\nI,\n"

    rows = read(text, Kind.AGENCY)

    kinds = {row.name: row.kind for row in rows}
    assert kinds == {
        "A": Kind.SAAS,
        "B": Kind.SAAS,
        "C": Kind.SAAS,
        "D": Kind.SAAS,
        "E": Kind.AGENCY,
        "F": Kind.AGENCY,
        "G": Kind.AGENCY,
        "H": Kind.AGENCY,
        "I": Kind.AGENCY,
    }


def test_unrecognised_kind_rejected():
    rows = read("Name,Kind\nAcme,Hardware\n")

    assert rows[0].status == RowStatus.REJECTED
    assert rows[0].line == 2
    assert "'Hardware' is not recognised" in rows[0].reason


def test_chosen_kind_without_kind_column():
    assert read("Name\nAcme\n", Kind.AGENCY)[0].kind == Kind.AGENCY
    assert read("Name\nAcme\n", Kind.SAAS)[0].kind == Kind.SAAS


def test_invalid_chosen_kind_rejected():
    with pytest.raises(InvalidImportFile) as raised:
        read("Name\nAcme\n", "hardware")

    assert "'hardware' is not valid" in str(raised.value)


def test_website_and_contact_kept():
    text = "Company,Website,Contact Name,Contact Email\nInitech,https://initech.example/,Peter Gibbons,peter@initech.example\n"

    row = read(text)[0]

    assert row.website == "https://initech.example/"
    assert row.contacts == [("Peter Gibbons", "peter@initech.example")]


def test_several_contact_emails_in_one_cell():
    text = 'Name,Contact emails\nInitech,"Peter Gibbons <peter@initech.example>\n""Lumbergh, Bill"" <bill@initech.example>; milton@initech.example"\n'

    row = read(text)[0]

    assert row.contacts == [
        ("Peter Gibbons", "peter@initech.example"),
        ("Lumbergh, Bill", "bill@initech.example"),
        ("", "milton@initech.example"),
    ]


def test_other_columns_ignored():
    rows = read("Founded Year,Company Name,HQ,ARR\n1975,Microsoft,\"Redmond, WA, USA\",270B\n")

    assert names(rows) == ["Microsoft"]
    assert rows[0].website == ""
    assert rows[0].notes == ""
    assert rows[0].contacts == []


def test_blank_lines_skipped_and_counted():
    rows = read("Name\n\nAcme\n,\n\nHooli\n")

    assert names(rows) == ["Acme", "Hooli"]
    assert [row.line for row in rows] == [3, 6]


def test_duplicates_in_file_name_first_line():
    rows = read("Name\nAcme Analytics\nHooli\n  ACME   analytics \nＡｃｍｅ Analytics\n")

    assert [row.status for row in rows] == [
        RowStatus.CREATE,
        RowStatus.CREATE,
        RowStatus.DUPLICATE_IN_FILE,
        RowStatus.DUPLICATE_IN_FILE,
    ]
    assert rows[2].duplicate_line == 2
    assert rows[3].duplicate_line == 2


def test_duplicate_after_rejected_row_is_created():
    rows = read("Name,Email\nAcme,not-an-email\nAcme,ops@acme.example\n")

    assert [row.status for row in rows] == [RowStatus.REJECTED, RowStatus.CREATE]


def test_duplicates_of_existing_partners(team, owner):
    create_partner(owner, team, PartnerData(name="Initech", kind=Kind.SAAS))
    archived = create_partner(owner, team, PartnerData(name="Hooli Studio", kind=Kind.AGENCY))
    archive_partner(owner, archived)
    data = "Name\n  INITECH \nＩｎｉｔｅｃｈ\nhooli   studio\nUmbrella\n".encode()

    rows = preview_import(team, data, Kind.SAAS)

    assert [row.status for row in rows] == [
        RowStatus.DUPLICATE_EXISTING,
        RowStatus.DUPLICATE_EXISTING,
        RowStatus.DUPLICATE_EXISTING,
        RowStatus.CREATE,
    ]
    assert [row.existing_name for row in rows[:3]] == ["Initech", "Initech", "Hooli Studio"]


def test_existing_partner_of_other_team_not_duplicate(team, outsider, other_team):
    create_partner(outsider, other_team, PartnerData(name="Initech", kind=Kind.SAAS))

    rows = preview_import(team, b"Name\nInitech\n", Kind.SAAS)

    assert rows[0].status == RowStatus.CREATE


def test_rejected_rows_name_line_and_reason():
    long_name = "x" * 201
    text = (
        "Name,Website,Email\n"
        "Good One,,\n"
        ",https://nameless.example,\n"
        f"{long_name},,\n"
        "Bad Mail,,peter@@initech\n"
        '"Bad\nSite","not a site",\n'
        "Good Two,,\n"
    )

    rows = read(text)

    rejected = [(row.line, row.reason) for row in rows if row.status == RowStatus.REJECTED]
    assert [line for line, _reason in rejected] == [3, 4, 5, 6]
    assert rejected[0][1] == "A partner needs a name."
    assert "has 201 characters; the maximum is 200" in rejected[1][1]
    assert "'peter@@initech' is not a valid address" in rejected[2][1]
    assert "'https://not a site' is not a valid web address" in rejected[3][1]
    assert rows[-1].line == 8
    assert rows[-1].status == RowStatus.CREATE


def test_values_over_column_size_rejected(team, owner):
    # Each value passes a check on its raw length, but not the column it is stored in: PostgreSQL
    # would reject it and roll back the whole import.
    website = "example.com/" + "a" * 285  # 297 characters, 305 once https:// is added
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".example"  # 316 characters
    expanding_name = "Acme " + "㍿" * 50  # 55 characters that NFKC turns into 205
    text = f"Name,Website,Email\nLong Site,{website},\nLong Mail,,{email}\n{expanding_name},,\nFine,,\n"

    rows = read(text)
    import_rows(owner, team, rows)

    assert [row.status for row in rows] == [RowStatus.REJECTED] * 3 + [RowStatus.CREATE]
    assert "has 305 characters; the maximum is 300" in rows[0].reason
    assert "has 316 characters; the maximum is 254" in rows[1].reason
    assert "has 205 characters; the maximum is 200" in rows[2].reason
    assert list(Partner.objects.filter(team=team).values_list("name", flat=True)) == ["Fine"]


def test_unclosed_quote_rejects_file():
    with pytest.raises(InvalidImportFile) as raised:
        read('Name,Notes\nAcme,fine\nGlobex,"never closed\nInitech,x\nHooli,y\n')

    assert str(raised.value).startswith("The row that starts on line 3 has a quoted field that is never closed")


def test_text_after_closing_quote_rejects_file():
    with pytest.raises(InvalidImportFile) as raised:
        read('Name,Notes\nAcme,fine\n"Globex" Inc,x\n')

    assert str(raised.value) == "The file cannot be read as CSV from line 3: ',' expected after '\"'."


def test_row_with_unquoted_separator_rejected():
    rows = read("Name\nAcme, Inc.\n")

    assert rows[0].status == RowStatus.REJECTED
    assert "put values containing the separator in double quotes" in rows[0].reason


def test_binary_file_rejected():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"

    with pytest.raises(InvalidImportFile) as raised:
        read_partner_csv(png, Kind.SAAS)

    assert "not a UTF-8 text file" in str(raised.value)
    assert "Save it as CSV UTF-8" in str(raised.value)


def test_invalid_utf8_rejected():
    latin1 = "Name\nZürich Labs\n".encode("latin-1")

    with pytest.raises(InvalidImportFile) as raised:
        read_partner_csv(latin1, Kind.SAAS)

    assert "not valid UTF-8 text" in str(raised.value)


def test_control_character_rejected():
    with pytest.raises(InvalidImportFile) as raised:
        read_partner_csv(b"Name\nAcme\x01\n", Kind.SAAS)

    assert "U+0001 on line 2" in str(raised.value)


def test_no_name_column_lists_headers():
    with pytest.raises(InvalidImportFile) as raised:
        read("Founded Year,HQ\n1975,Redmond\n")

    assert str(raised.value) == (
        'The file has no name column; expected a header such as "Name" or "Company Name". Found: Founded Year, HQ.'
    )


def test_empty_file_rejected():
    with pytest.raises(InvalidImportFile) as raised:
        read("\n \n")

    assert "The file is empty" in str(raised.value)


def test_header_without_rows_rejected():
    with pytest.raises(InvalidImportFile) as raised:
        read("Name,Website\n")

    assert "no partner rows" in str(raised.value)


def test_file_over_size_limit_rejected():
    data = b"Name\n" + b"a" * MAX_FILE_BYTES

    with pytest.raises(InvalidImportFile) as raised:
        read_partner_csv(data, Kind.SAAS)

    assert "the maximum is 5 MB" in str(raised.value)


def test_file_over_row_limit_rejected():
    text = "Name\n" + "".join(f"P{number}\n" for number in range(MAX_ROWS + 1))

    with pytest.raises(InvalidImportFile) as raised:
        read(text)

    assert "more than 20000 rows" in str(raised.value)


def test_formula_prefix_removed():
    rows = read("Name,Notes\n'=Acme,'-note\n'@Hooli,'plain quote\n")

    assert names(rows) == ["=Acme", "@Hooli"]
    assert rows[0].notes == "-note"
    assert rows[1].notes == "'plain quote"


def test_import_writes_partners_and_contacts(team, owner):
    data = b"Name,Website,Email,Kind\nInitech,initech.example,peter@initech.example,agency\nHooli,,,\n"
    rows = preview_import(team, data, Kind.SAAS)

    import_rows(owner, team, rows)

    initech = Partner.objects.get(team=team, name="Initech")
    assert initech.kind == Kind.AGENCY
    assert initech.website == "https://initech.example"
    assert list(Contact.objects.filter(partner=initech).values_list("email", flat=True)) == ["peter@initech.example"]
    assert Partner.objects.get(team=team, name="Hooli").kind == Kind.SAAS


def test_import_skips_duplicates_and_rejected(team, owner, saas_partner):
    rows = preview_import(team, b"Name,Email\nInitech,\nHooli,\nhooli,\nBad,nope\n", Kind.SAAS)

    created = import_rows(owner, team, rows)

    assert [partner.name for partner in created] == ["Hooli"]
    assert sorted(Partner.objects.filter(team=team).values_list("name", flat=True)) == ["Hooli", "Initech"]


def test_import_by_viewer_forbidden(team, viewer):
    rows = preview_import(team, b"Name\nHooli\n", Kind.SAAS)

    with pytest.raises(RoleRequired):
        import_rows(viewer, team, rows)

    assert not Partner.objects.filter(team=team).exists()


def test_failure_midway_writes_nothing(team, owner):
    rows = preview_import(team, b"Name\nAlpha\nBravo\nCharlie\n", Kind.SAAS)
    # Two rows naming one partner pass the pre-check but break the unique
    # (team, name_key) constraint when the rows are inserted.
    rows[2].name = "ALPHA"

    with pytest.raises(ImportConflict):
        import_rows(owner, team, rows)

    assert not Partner.objects.filter(team=team).exists()


def test_failure_in_later_batch_writes_nothing(team, owner):
    text = "Name,Email\n" + "".join(f"Partner {number},p{number}@example.com\n" for number in range(BULK_BATCH_SIZE + 100))
    rows = preview_import(team, text.encode(), Kind.SAAS)
    # The earlier batches are inserted before the last one breaks the constraint.
    rows[-1].name = "PARTNER 0"

    with pytest.raises(ImportConflict):
        import_rows(owner, team, rows)

    assert not Partner.objects.filter(team=team).exists()
    assert not Contact.objects.filter(team=team).exists()


def test_batched_import_keeps_contacts_with_partners(team, owner):
    text = "Name,Email\n" + "".join(f"Partner {number},p{number}@example.com\n" for number in range(BULK_BATCH_SIZE + 100))

    import_rows(owner, team, preview_import(team, text.encode(), Kind.SAAS))

    assert Contact.objects.filter(team=team).count() == BULK_BATCH_SIZE + 100
    for number in (0, BULK_BATCH_SIZE - 1, BULK_BATCH_SIZE + 99):
        partner = Partner.objects.get(team=team, name=f"Partner {number}")
        assert [contact.email for contact in partner.contacts.all()] == [f"p{number}@example.com"]


def test_partner_added_after_preview_conflicts(team, owner):
    rows = preview_import(team, b"Name\nAlpha\nBravo\n", Kind.SAAS)
    create_partner(owner, team, PartnerData(name="Bravo", kind=Kind.SAAS))

    with pytest.raises(ImportConflict) as raised:
        import_rows(owner, team, rows)

    assert "Bravo (line 3) was added to the partner list after the preview" in str(raised.value)
    assert list(Partner.objects.filter(team=team).values_list("name", flat=True)) == ["Bravo"]


def test_real_saas_file_imports_100_partners(team, owner):
    with FIXTURE.open(encoding="utf-8-sig", newline="") as handle:
        expected = [record["Company Name"] for record in csv.DictReader(handle)]
    rows = preview_import(team, FIXTURE.read_bytes(), Kind.SAAS)

    import_rows(owner, team, rows)

    assert count_statuses(rows) == {
        RowStatus.CREATE: 100,
        RowStatus.DUPLICATE_IN_FILE: 0,
        RowStatus.DUPLICATE_EXISTING: 0,
        RowStatus.REJECTED: 0,
    }
    partners = Partner.objects.filter(team=team).order_by("pk")
    assert [partner.name for partner in partners] == expected
    assert len(expected) == 100
    assert set(partners.values_list("kind", flat=True)) == {Kind.SAAS}
