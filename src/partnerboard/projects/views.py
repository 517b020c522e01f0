import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerboard.accounts.access import get_membership
from partnerboard.accounts.models import Role
from partnerboard.errors import RuleError
from partnerboard.notifications import queries as notification_queries
from partnerboard.network import queries as network_queries
from partnerboard.partners.models import Partner
from partnerboard.projects import queries, services
from partnerboard.projects.catalog import TEMPLATES
from partnerboard.projects.forms import MoveForm, ProjectSettingsForm
from partnerboard.projects.models import Card, Project, Stage
from partnerboard.redirects import posted_next_or


def _project(request, team_slug, project_id, role=Role.VIEWER):
    membership = get_membership(request, team_slug, role)
    project = get_object_or_404(Project, team=membership.team, public_id=project_id)
    return membership, project


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_GET
def project_list(request, team_slug):
    membership = get_membership(request, team_slug)
    show_archived = request.GET.get("archived") == "1"
    projects = Project.objects.filter(team=membership.team, archived_at__isnull=not show_archived)
    projects = projects.annotate(partner_count=Count("cards")).order_by("name")
    context = {"projects": projects, "show_archived": show_archived, "nav": "projects"}
    context["shared_with_you"] = network_queries.shared_with(membership.team)
    return render(request, "projects/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_project(request, team_slug):
    membership = get_membership(request, team_slug)
    if request.method == "POST":
        try:
            project = services.deploy_project(request.user, membership.team, request.POST.get("template", ""))
        except RuleError as error:
            messages.error(request, error.message)
            return redirect("projects:new", team_slug)
        messages.success(request, _("Deployed %(name)s.") % {"name": project.name})
        return redirect("projects:board", team_slug, project.public_id)
    return render(request, "projects/new.html", {"templates": TEMPLATES, "nav": "projects"})


@login_required
@require_GET
def board(request, team_slug, project_id):
    membership, project = _project(request, team_slug, project_id)
    name_filter = request.GET.get("q", "").strip()
    columns = queries.board_columns(project, name_filter)
    stages = [column.stage for column in columns]
    context = {
        "project": project,
        "columns": columns,
        "stages": stages,
        "name_filter": name_filter,
        "can_write": membership.can_write and project.archived_at is None,
        "request_key": uuid.uuid4(),
        "nav": "projects",
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "board":
        return render(request, "projects/_board.html", context)
    return render(request, "projects/board.html", context)


@login_required
@require_GET
def column_cards(request, team_slug, project_id, stage_id):
    membership, project = _project(request, team_slug, project_id)
    stage = get_object_or_404(Stage, project=project, public_id=stage_id)
    try:
        after_position = int(request.GET.get("after", ""))
    except ValueError:
        return render(request, "projects/_error.html", {"message": _("The 'after' position must be a whole number.")}, status=400)
    name_filter = request.GET.get("q", "").strip()
    cards, more = queries.column_page(stage, after_position, name_filter)
    context = {
        "project": project,
        "stage": stage,
        "cards": cards,
        "more": more,
        "stages": list(project.stages.all()),
        "name_filter": name_filter,
        "can_write": membership.can_write and project.archived_at is None,
        "request_key": uuid.uuid4(),
    }
    return render(request, "projects/_column_cards.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def add_partner(request, team_slug, project_id):
    membership, project = _project(request, team_slug, project_id)
    if request.method == "POST":
        get_membership(request, team_slug, Role.MEMBER)
        partner = get_object_or_404(Partner, team=membership.team, public_id=request.POST.get("partner") or None)
        try:
            card = services.add_partner(request.user, project, partner)
        except RuleError as error:
            messages.error(request, error.message)
            return redirect("projects:add", team_slug, project.public_id)
        notification_queries.offer_undo(request, card)
        messages.success(request, _("Added %(partner)s to %(project)s.") % {"partner": partner.name, "project": project.name})
        return redirect("projects:board", team_slug, project.public_id)

    search = request.GET.get("q", "").strip()
    candidates = queries.add_candidates(project, search)
    context = {"project": project, "candidates": candidates, "search": search, "nav": "projects"}
    if request.headers.get("HX-Request"):
        return render(request, "projects/_add_candidates.html", context)
    return render(request, "projects/add.html", context)


@login_required
@require_GET
def card_detail(request, team_slug, project_id, card_id):
    membership, project = _project(request, team_slug, project_id)
    card = get_object_or_404(Card.objects.select_related("partner", "stage"), project=project, public_id=card_id)
    context = {
        "project": project,
        "card": card,
        "stages": list(project.stages.all()),
        "activities": queries.card_history(card),
        "can_write": membership.can_write and project.archived_at is None,
        "request_key": uuid.uuid4(),
        "nav": "projects",
    }
    return render(request, "projects/card.html", context)


@login_required
@require_POST
def move(request, team_slug, project_id, card_id):
    membership, project = _project(request, team_slug, project_id, Role.MEMBER)
    card = get_object_or_404(Card.objects.select_related("partner", "stage"), project=project, public_id=card_id)
    # The card's project and team are the ones just looked up; caching them saves move_card two queries.
    card.project, card.team = project, membership.team

    form = MoveForm(request.POST)
    if not form.is_valid():
        return _move_failed(request, project, card, _("The move was not understood: %s") % form.errors.as_text(), 400)
    data = form.cleaned_data

    to_stage = get_object_or_404(Stage, project=project, public_id=data["stage"])
    after = None
    if data["after"]:
        after = get_object_or_404(Card, project=project, public_id=data["after"])

    try:
        card = services.move_card(
            request.user,
            card,
            to_stage,
            after=after,
            to_top=data["top"],
            expected_version=data["version"],
            request_key=data["request_key"],
        )
    except RuleError as error:
        return _move_failed(request, project, card, error.message, error.status)

    notification = notification_queries.offer_undo(request, card)
    if _wants_json(request):
        pending = notification_queries.pending_json(notification)
        return JsonResponse({"ok": True, "version": card.version, "stage": str(card.stage.public_id), "notification": pending})
    messages.success(request, _("Moved %(partner)s to %(stage)s.") % {"partner": card.partner.name, "stage": card.stage.name})
    return redirect(posted_next_or(request, project_board_url(project)))


def project_board_url(project: Project) -> str:
    return reverse("projects:board", args=[project.team.slug, project.public_id])


def _move_failed(request, project, card, message, status):
    if _wants_json(request):
        card.refresh_from_db()
        return JsonResponse(
            {"ok": False, "message": message, "stage": str(card.stage.public_id), "version": card.version},
            status=status,
        )
    messages.error(request, message)
    return redirect(posted_next_or(request, project_board_url(project)))


@login_required
@require_http_methods(["GET", "POST"])
def project_settings(request, team_slug, project_id):
    membership, project = _project(request, team_slug, project_id)
    form = ProjectSettingsForm(request.POST or None, initial={"name": project.name, "email_on_add": project.email_on_add})
    if request.method == "POST":
        get_membership(request, team_slug, Role.ADMIN)
        if form.is_valid():
            try:
                services.update_project(request.user, project, **form.cleaned_data)
            except RuleError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Saved the settings of %(project)s.") % {"project": project.name})
                return redirect("projects:board", team_slug, project.public_id)
    context = {"project": project, "form": form, "can_edit": membership.has_role(Role.ADMIN), "nav": "projects"}
    return render(request, "projects/settings.html", context)


@login_required
@require_POST
def archive(request, team_slug, project_id):
    membership, project = _project(request, team_slug, project_id, Role.ADMIN)
    services.archive_project(request.user, project)
    messages.success(request, _("Archived %(project)s.") % {"project": project.name})
    return redirect("projects:list", team_slug)


@login_required
@require_POST
def restore(request, team_slug, project_id):
    membership, project = _project(request, team_slug, project_id, Role.ADMIN)
    services.restore_project(request.user, project)
    messages.success(request, _("Restored %(project)s.") % {"project": project.name})
    return redirect("projects:board", team_slug, project.public_id)
