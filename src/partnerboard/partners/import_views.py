"""Pages of the CSV import (upload, preview, confirm, cancel) and the CSV export download."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerboard.accounts.access import get_membership
from partnerboard.accounts.models import Kind, Role
from partnerboard.errors import RuleError
from partnerboard.partners import import_services
from partnerboard.partners.csv_export import export_partners_csv
from partnerboard.partners.csv_import import MAX_FILE_BYTES, MAX_ROWS, ImportRow, count_statuses
from partnerboard.partners.models import PartnerImport


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8 text with a header row; a column named Name, Company or Company Name is required. "
            "At most 5 MB and 20,000 rows."
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of the partners"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Used for rows without a Kind or Type column value."),
    )

    def clean_file(self):
        # NOTE: Django has already received the whole upload (in memory or a
        # temporary file) at this point. Only a request body limit in the
        # proxy in front of the app stops a huge upload earlier.
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the maximum is %(maximum)d MB. Split it into smaller files.")
                % {"size": upload.size / (1024 * 1024), "maximum": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


def _pending_import(request, team_slug, import_id) -> tuple:
    membership = get_membership(request, team_slug, Role.MEMBER)
    partner_import = get_object_or_404(
        PartnerImport, team=membership.team, created_by=request.user, public_id=import_id
    )
    return membership, partner_import


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, team_slug):
    membership = get_membership(request, team_slug, Role.MEMBER)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": membership.team.kind})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            partner_import = import_services.stage_import(
                request.user, membership.team, upload.name, upload.read(), form.cleaned_data["kind"]
            )
        except RuleError as error:
            form.add_error("file", error.message)
        else:
            return redirect("partners:import_preview", team_slug, partner_import.public_id)
    status = 400 if form.errors else 200
    context = {"form": form, "max_rows": MAX_ROWS, "nav": "partners"}
    return render(request, "partners/import_upload.html", context, status=status)


@login_required
@require_GET
def import_preview(request, team_slug, import_id):
    membership, partner_import = _pending_import(request, team_slug, import_id)
    if partner_import.status == PartnerImport.Status.CONFIRMED:
        count = partner_import.created_count
        messages.info(
            request,
            ngettext("This import is already done: it created %(count)d partner.", "This import is already done: it created %(count)d partners.", count)
            % {"count": count},
        )
        return redirect("partners:list", team_slug)
    rows = [ImportRow.from_json(row) for row in partner_import.rows]
    context = {
        "partner_import": partner_import,
        "rows": rows,
        "counts": count_statuses(rows),
        "nav": "partners",
    }
    return render(request, "partners/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request, team_slug, import_id):
    membership, partner_import = _pending_import(request, team_slug, import_id)
    try:
        created = import_services.confirm_import(request.user, partner_import)
    except RuleError as error:
        messages.error(request, error.message)
        return redirect("partners:import_upload", team_slug)
    messages.success(
        request,
        ngettext("Imported %(count)d partner.", "Imported %(count)d partners.", created) % {"count": created},
    )
    return redirect("partners:list", team_slug)


@login_required
@require_POST
def import_cancel(request, team_slug, import_id):
    membership, partner_import = _pending_import(request, team_slug, import_id)
    import_services.cancel_import(request.user, partner_import)
    messages.info(request, _("Import cancelled; no partner was added."))
    return redirect("partners:list", team_slug)


@login_required
@require_GET
def export_csv(request, team_slug):
    membership = get_membership(request, team_slug)
    archived = request.GET.get("archived") == "1"
    # The byte order mark makes spreadsheet programs read the file as UTF-8,
    # so names with accents open intact; the importer skips it.
    content = "\ufeff" + export_partners_csv(membership.team, archived=archived)
    stamp = timezone.now().strftime("%Y-%m-%d")
    filename = f"{membership.team.slug}-{'archived-' if archived else ''}partners-{stamp}.csv"
    response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
