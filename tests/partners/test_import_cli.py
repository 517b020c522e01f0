"""The import-partners and export-partners commands."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from partnerboard.accounts.models import Kind
from partnerboard.partners.models import Contact, Partner

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "saas-companies-2025.csv"


def run(*args) -> str:
    output = io.StringIO()
    call_command(*args, stdout=output, stderr=io.StringIO())
    return output.getvalue()


def write(tmp_path, content: bytes, name="partners.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_import_prints_counts_and_reasons(team, saas_partner, tmp_path):
    path = write(tmp_path, b"Name,Email\nHooli,\nhooli,\nInitech,\n,ops@nameless.example\nBad,nope\nUmbrella,ops@umbrella.example\n")

    output = run("import_partners", "--team", team.slug, path)

    assert output.splitlines() == [
        "Line 3: duplicate of line 2: hooli",
        "Line 4: duplicate of existing partner Initech",
        "Line 5: rejected: A partner needs a name.",
        "Line 6: rejected: Contact email 'nope' is not a valid address; use a form like name@example.com.",
        "Created 2 partners in acme-analytics; 2 duplicates (1 in the file, 1 already in the list); 2 rejected.",
    ]
    assert sorted(Partner.objects.filter(team=team).values_list("name", flat=True)) == ["Hooli", "Initech", "Umbrella"]
    assert Contact.objects.get(partner__name="Umbrella").email == "ops@umbrella.example"


def test_import_dry_run_writes_nothing(team, owner, tmp_path):
    path = write(tmp_path, b"Name\nHooli\nUmbrella\n")

    output = run("import_partners", "--team", team.slug, "--dry-run", path)

    assert "Would create 2 partners" in output
    assert "Dry run: nothing was written." in output
    assert not Partner.objects.filter(team=team).exists()


def test_import_kind_option(team, owner, tmp_path):
    path = write(tmp_path, b"Name,Type\nHooli,\nUmbrella,SaaS\n")

    run("import_partners", "--team", team.slug, "--kind", "agency", path)

    assert dict(Partner.objects.filter(team=team).values_list("name", "kind")) == {"Hooli": Kind.AGENCY, "Umbrella": Kind.SAAS}


def test_import_defaults_to_team_kind(team, owner, tmp_path):
    run("import_partners", "--team", team.slug, write(tmp_path, b"Name\nHooli\n"))

    assert Partner.objects.get(team=team).kind == team.kind


def test_import_as_viewer_rejected(team, viewer, tmp_path):
    path = write(tmp_path, b"Name\nHooli\n")

    with pytest.raises(CommandError) as raised:
        run("import_partners", "--team", team.slug, "--user", viewer.email, path)

    assert "needs the member role or higher" in str(raised.value)
    assert not Partner.objects.filter(team=team).exists()


def test_import_as_outsider_rejected(team, outsider, tmp_path):
    with pytest.raises(CommandError) as raised:
        run("import_partners", "--team", team.slug, "--user", outsider.email, write(tmp_path, b"Name\nHooli\n"))

    assert str(raised.value) == "otto@globex.example is not a member of acme-analytics."


def test_import_binary_file_fails(team, owner, tmp_path):
    with pytest.raises(CommandError) as raised:
        run("import_partners", "--team", team.slug, write(tmp_path, b"PK\x03\x04\x00\x00", "book.xlsx"))

    assert "not a UTF-8 text file" in str(raised.value)


def test_import_without_name_column_fails(team, owner, tmp_path):
    with pytest.raises(CommandError) as raised:
        run("import_partners", "--team", team.slug, write(tmp_path, b"Founded Year,HQ\n1975,Redmond\n"))

    assert "Found: Founded Year, HQ." in str(raised.value)


def test_import_unknown_team_fails(db, tmp_path):
    with pytest.raises(CommandError) as raised:
        run("import_partners", "--team", "nope", write(tmp_path, b"Name\nHooli\n"))

    assert "Team 'nope' not found" in str(raised.value)


def test_import_missing_file_fails(team, owner, tmp_path):
    with pytest.raises(CommandError) as raised:
        run("import_partners", "--team", team.slug, str(tmp_path / "missing.csv"))

    assert "Cannot read" in str(raised.value)
    assert "No such file or directory" in str(raised.value)


def test_import_real_saas_file(team, owner):
    output = run("import_partners", "--team", team.slug, str(FIXTURE))

    assert output.splitlines() == [
        "Created 100 partners in acme-analytics; 0 duplicates (0 in the file, 0 already in the list); 0 rejected."
    ]
    assert Partner.objects.filter(team=team, kind=Kind.SAAS).count() == 100


def test_export_to_stdout(team, saas_partner):
    output = run("export_partners", "--team", team.slug)

    assert output == "Name,Kind,Website,Contact emails,Notes\r\nInitech,SaaS,,Peter Gibbons <peter@initech.example>,\r\n"


def test_export_to_file_round_trip(team, owner, saas_partner, agency_partner, outsider, other_team, tmp_path):
    path = tmp_path / "export.csv"

    run("export_partners", "--team", team.slug, "--output", str(path))
    run("import_partners", "--team", other_team.slug, str(path))

    exported = Partner.objects.filter(team=team).order_by("name_key").values_list("name", "kind", "website", "notes")
    imported = Partner.objects.filter(team=other_team).order_by("name_key").values_list("name", "kind", "website", "notes")
    assert list(imported) == list(exported)
    assert Contact.objects.get(team=other_team, email="gavin@hooli.example").name == "Gavin Belson"


def test_command_line_exit_codes(tmp_path):
    """Run the installed partnerboard command against its own SQLite file, as an admin would."""
    environment = {
        **os.environ,
        "PARTNERBOARD_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    command = [str(Path(sys.executable).parent / "partnerboard")]

    def cli(*args, stdin=None):
        return subprocess.run(command + list(args), env=environment, capture_output=True, input=stdin, timeout=120)

    assert cli("migrate", "--verbosity", "0").returncode == 0
    assert cli("createteam", "Initrode", "--kind", "agency", "--owner", "bill@initrode.example").returncode == 0
    binary = cli("import-partners", "--team", "initrode", "-", stdin=b"\x00\x01\x02")
    good = cli("import-partners", "--team", "initrode", "-", stdin=b"Company Name\nHooli\n,\n\nBad,extra\n")
    exported = cli("export-partners", "--team", "initrode")

    assert binary.returncode == 1
    assert b"not a UTF-8 text file" in binary.stderr
    assert good.returncode == 0
    assert b"Line 5: rejected:" in good.stdout
    assert b"Created 1 partner in initrode" in good.stdout
    assert exported.returncode == 0
    assert exported.stdout == b"Name,Kind,Website,Contact emails,Notes\r\nHooli,Agency,,,\r\n"
