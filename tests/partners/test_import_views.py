"""The import pages (upload, preview, confirm, cancel) and the export download, by role."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnerboard.accounts.models import Kind
from partnerboard.partners.import_services import stage_import
from partnerboard.partners.models import Partner, PartnerImport
from partnerboard.partners.services import PartnerData, create_partner

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "saas-companies-2025.csv"


def upload_url(team):
    return f"/t/{team.slug}/partners/import/"


def preview_url(team, partner_import):
    return f"/t/{team.slug}/partners/import/{partner_import.public_id}/"


def upload(client, team, content: bytes, kind=Kind.SAAS, filename="partners.csv"):
    return client.post(upload_url(team), {"file": SimpleUploadedFile(filename, content, "text/csv"), "kind": kind})


def test_partner_list_shows_import_and_export(client_for, team, member):
    response = client_for(member).get(f"/t/{team.slug}/partners/")

    html = response.content.decode()
    assert f'href="/t/{team.slug}/partners/import/"' in html
    assert f'href="/t/{team.slug}/partners/export.csv"' in html


def test_partner_list_hides_import_from_viewer(client_for, team, viewer):
    response = client_for(viewer).get(f"/t/{team.slug}/partners/")

    html = response.content.decode()
    assert "/partners/import/" not in html
    assert "/partners/export.csv" in html


def test_upload_page_defaults_to_team_kind(client_for, team, member):
    response = client_for(member).get(upload_url(team))

    assert response.status_code == 200
    assert re.search(r'value="saas"[^>]*checked', response.content.decode())


def test_upload_shows_preview_of_every_row(client_for, team, member, saas_partner):
    client = client_for(member)
    content = b"Name,Email\nHooli,\nUmbrella,ops@umbrella.example\nhooli,\ninitech,\n,\xe2\x80\x8b\nBad,not-mail\n"

    response = upload(client, team, content)

    partner_import = PartnerImport.objects.get(team=team)
    assert response.status_code == 302
    assert response["Location"] == preview_url(team, partner_import)
    preview = client.get(preview_url(team, partner_import))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert html.count('<tr class="import-') == 6
    assert "2 partners will be created" in html
    assert "1 duplicate in the file" in html
    assert "1 duplicate of an existing partner" in html
    assert "2 rows rejected" in html
    assert "Duplicate in the file (of line 2)" in html
    assert "Duplicate of an existing partner (Initech)" in html
    assert "A partner needs a name." in html
    assert "&#x27;not-mail&#x27; is not a valid address" in html
    assert not Partner.objects.filter(team=team, name="Hooli").exists()


def test_preview_escapes_names(client_for, team, member):
    client = client_for(member)
    upload(client, team, b"Name\n<img src=x onerror=alert(1)>\n")

    preview = client.get(preview_url(team, PartnerImport.objects.get(team=team)))

    html = preview.content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html


def test_confirm_creates_all_rows(client_for, team, member):
    client = client_for(member)
    upload(client, team, b"Name,Type\nHooli,agency\nUmbrella,\n", kind=Kind.AGENCY)
    partner_import = PartnerImport.objects.get(team=team)

    response = client.post(preview_url(team, partner_import) + "confirm/", follow=True)

    assert response.redirect_chain[-1][0] == f"/t/{team.slug}/partners/"
    assert "Imported 2 partners." in response.content.decode()
    kinds = dict(Partner.objects.filter(team=team).values_list("name", "kind"))
    assert kinds == {"Hooli": Kind.AGENCY, "Umbrella": Kind.AGENCY}
    partner_import.refresh_from_db()
    assert partner_import.status == PartnerImport.Status.CONFIRMED
    assert partner_import.created_count == 2
    assert partner_import.rows == []


def test_confirm_twice_creates_once(client_for, team, member):
    client = client_for(member)
    upload(client, team, b"Name\nHooli\n")
    partner_import = PartnerImport.objects.get(team=team)

    client.post(preview_url(team, partner_import) + "confirm/")
    second = client.post(preview_url(team, partner_import) + "confirm/", follow=True)

    assert Partner.objects.filter(team=team).count() == 1
    assert "Imported 1 partner." in second.content.decode()


def test_confirm_conflict_writes_nothing(client_for, team, member, owner):
    client = client_for(member)
    upload(client, team, b"Name\nHooli\nUmbrella\n")
    partner_import = PartnerImport.objects.get(team=team)
    create_partner(owner, team, PartnerData(name="Umbrella", kind=Kind.SAAS))

    response = client.post(preview_url(team, partner_import) + "confirm/", follow=True)

    assert "Umbrella (line 3) was added to the partner list after the preview" in response.content.decode()
    assert list(Partner.objects.filter(team=team).values_list("name", flat=True)) == ["Umbrella"]
    partner_import.refresh_from_db()
    assert partner_import.status == PartnerImport.Status.PENDING


def test_confirm_failure_midway_writes_nothing(client_for, team, member):
    client = client_for(member)
    upload(client, team, b"Name\nAlpha\nBravo\nCharlie\n")
    partner_import = PartnerImport.objects.get(team=team)
    # A stored row naming Alpha again passes the pre-check against the list
    # but breaks the unique (team, name_key) constraint when the rows are inserted.
    partner_import.rows[2]["name"] = "ALPHA"
    partner_import.save(update_fields=["rows"])

    response = client.post(preview_url(team, partner_import) + "confirm/", follow=True)

    assert "nothing was imported" in response.content.decode()
    assert not Partner.objects.filter(team=team).exists()
    partner_import.refresh_from_db()
    assert partner_import.status == PartnerImport.Status.PENDING


def test_cancel_writes_nothing(client_for, team, member):
    client = client_for(member)
    upload(client, team, b"Name\nHooli\n")
    partner_import = PartnerImport.objects.get(team=team)

    response = client.post(preview_url(team, partner_import) + "cancel/", follow=True)

    assert "Import cancelled; no partner was added." in response.content.decode()
    assert not Partner.objects.filter(team=team).exists()
    assert not PartnerImport.objects.exists()
    assert client.post(preview_url(team, partner_import) + "confirm/").status_code == 404


def test_binary_upload_rejected(client_for, team, member):
    response = upload(client_for(member), team, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", filename="logo.png")

    assert response.status_code == 400
    assert "not a UTF-8 text file" in response.content.decode()
    assert not PartnerImport.objects.exists()


def test_upload_without_name_column_rejected(client_for, team, member):
    response = upload(client_for(member), team, b"Founded Year,HQ\n1975,Redmond\n")

    assert response.status_code == 400
    assert "The file has no name column; expected a header such as &quot;Name&quot;" in response.content.decode()
    assert "Found: Founded Year, HQ." in response.content.decode()


def test_upload_over_size_limit_rejected(client_for, team, member):
    response = upload(client_for(member), team, b"Name\n" + b"a" * (5 * 1024 * 1024))

    assert response.status_code == 400
    assert "the maximum is 5 MB" in response.content.decode()


def test_real_saas_file_through_browser(client_for, team, member):
    client = client_for(member)
    upload(client, team, FIXTURE.read_bytes(), filename=FIXTURE.name)
    partner_import = PartnerImport.objects.get(team=team)

    preview = client.get(preview_url(team, partner_import)).content.decode()
    client.post(preview_url(team, partner_import) + "confirm/")

    assert "100 partners will be created" in preview
    assert "0 rows rejected" in preview
    assert Partner.objects.filter(team=team, kind=Kind.SAAS).count() == 100


@pytest.mark.parametrize("suffix, method", [("", "get"), ("", "post")])
def test_viewer_cannot_upload(client_for, team, viewer, suffix, method):
    client = client_for(viewer)

    response = getattr(client, method)(upload_url(team) + suffix)

    assert response.status_code == 403


@pytest.mark.parametrize("suffix, method", [("", "get"), ("confirm/", "post"), ("cancel/", "post")])
def test_viewer_cannot_use_import(client_for, team, owner, viewer, suffix, method):
    partner_import = stage_import(owner, team, "partners.csv", b"Name\nHooli\n", Kind.SAAS)

    response = getattr(client_for(viewer), method)(preview_url(team, partner_import) + suffix)

    assert response.status_code == 403
    assert not Partner.objects.filter(team=team).exists()


def test_outsider_gets_404(client_for, team, owner, outsider):
    partner_import = stage_import(owner, team, "partners.csv", b"Name\nHooli\n", Kind.SAAS)
    client = client_for(outsider)

    assert client.get(upload_url(team)).status_code == 404
    assert client.get(preview_url(team, partner_import)).status_code == 404
    assert client.post(preview_url(team, partner_import) + "confirm/").status_code == 404
    assert client.get(f"/t/{team.slug}/partners/export.csv").status_code == 404
    assert not Partner.objects.filter(team=team).exists()


def test_other_team_import_token_gets_404(client_for, team, owner, outsider, other_team):
    foreign = stage_import(outsider, other_team, "partners.csv", b"Name\nUmbrella\n", Kind.SAAS)
    client = client_for(owner)

    assert client.get(f"/t/{team.slug}/partners/import/{foreign.public_id}/").status_code == 404
    assert client.post(f"/t/{team.slug}/partners/import/{foreign.public_id}/confirm/").status_code == 404
    assert client.post(f"/t/{team.slug}/partners/import/{foreign.public_id}/cancel/").status_code == 404
    assert not Partner.objects.exists()
    assert PartnerImport.objects.filter(pk=foreign.pk).exists()


def test_teammate_import_token_gets_404(client_for, team, owner, member):
    partner_import = stage_import(owner, team, "partners.csv", b"Name\nHooli\n", Kind.SAAS)

    response = client_for(member).post(preview_url(team, partner_import) + "confirm/")

    assert response.status_code == 404
    assert not Partner.objects.filter(team=team).exists()


def test_preview_get_only(client_for, team, owner):
    partner_import = stage_import(owner, team, "partners.csv", b"Name\nHooli\n", Kind.SAAS)
    client = client_for(owner)

    assert client.post(preview_url(team, partner_import)).status_code == 405
    assert client.get(preview_url(team, partner_import) + "confirm/").status_code == 405
    assert client.get(preview_url(team, partner_import) + "cancel/").status_code == 405


def test_anonymous_redirected_to_sign_in(client, team):
    response = client.get(upload_url(team))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_viewer_can_export(client_for, team, viewer, saas_partner):
    response = client_for(viewer).get(f"/t/{team.slug}/partners/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{team.slug}-partners-')
    assert response.content.startswith("\ufeffName,Kind,Website,Contact emails,Notes\r\n".encode())
    assert "Initech,SaaS,,Peter Gibbons <peter@initech.example>," in response.content.decode()


def test_stale_pending_import_deleted_on_next_upload(client_for, team, owner):
    stale = stage_import(owner, team, "old.csv", b"Name\nHooli\n", Kind.SAAS)
    recent = stage_import(owner, team, "recent.csv", b"Name\nHooli\n", Kind.SAAS)
    PartnerImport.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=2))

    upload(client_for(owner), team, b"Name\nUmbrella\n")

    assert not PartnerImport.objects.filter(pk=stale.pk).exists()
    assert PartnerImport.objects.filter(pk=recent.pk).exists()
    assert PartnerImport.objects.filter(team=team).count() == 2
