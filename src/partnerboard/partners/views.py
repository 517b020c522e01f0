from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerboard.accounts.access import get_membership
from partnerboard.accounts.models import Kind, Role
from partnerboard.errors import RuleError
from partnerboard.partners import services
from partnerboard.partners.forms import PartnerForm
from partnerboard.partners.models import Partner
from partnerboard.partners.names import name_key

PAGE_SIZE = 100


def _partner(request, team_slug, partner_id, role=Role.VIEWER):
    membership = get_membership(request, team_slug, role)
    return membership, get_object_or_404(Partner, team=membership.team, public_id=partner_id)


@login_required
@require_GET
def partner_list(request, team_slug):
    membership = get_membership(request, team_slug)
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    show_archived = request.GET.get("archived") == "1"
    partners = Partner.objects.filter(team=membership.team, archived_at__isnull=not show_archived)
    if search:
        partners = partners.filter(name_key__contains=name_key(search))
    if kind in Kind.values:
        partners = partners.filter(kind=kind)
    page = Paginator(partners.order_by("name_key"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "kind": kind,
        "kinds": Kind.choices,
        "show_archived": show_archived,
        "nav": "partners",
    }
    return render(request, "partners/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partner_new(request, team_slug):
    membership = get_membership(request, team_slug, Role.MEMBER)
    form = PartnerForm(request.POST or None, initial={"kind": membership.team.kind})
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.create_partner(request.user, membership.team, form.to_data())
        except RuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Added %(name)s to the partner list.") % {"name": partner.name})
            return redirect("partners:detail", team_slug, partner.public_id)
    return render(request, "partners/form.html", {"form": form, "nav": "partners"})


@login_required
@require_GET
def partner_detail(request, team_slug, partner_id):
    membership, partner = _partner(request, team_slug, partner_id)
    cards = partner.cards.select_related("project", "stage").order_by("project__name")
    context = {"partner": partner, "cards": cards, "contacts": partner.contacts.all(), "nav": "partners"}
    return render(request, "partners/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, team_slug, partner_id):
    membership, partner = _partner(request, team_slug, partner_id, Role.MEMBER)
    form = PartnerForm(request.POST or None, initial=PartnerForm.initial_for(partner))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_partner(request.user, partner, form.to_data())
        except RuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": partner.name})
            return redirect("partners:detail", team_slug, partner.public_id)
    return render(request, "partners/form.html", {"form": form, "partner": partner, "nav": "partners"})


@login_required
@require_POST
def partner_archive(request, team_slug, partner_id):
    membership, partner = _partner(request, team_slug, partner_id, Role.MEMBER)
    services.archive_partner(request.user, partner)
    messages.success(request, _("Archived %(name)s.") % {"name": partner.name})
    return redirect("partners:detail", team_slug, partner.public_id)


@login_required
@require_POST
def partner_restore(request, team_slug, partner_id):
    membership, partner = _partner(request, team_slug, partner_id, Role.MEMBER)
    services.restore_partner(request.user, partner)
    messages.success(request, _("Restored %(name)s.") % {"name": partner.name})
    return redirect("partners:detail", team_slug, partner.public_id)
