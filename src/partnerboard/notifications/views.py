import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerboard.accounts.access import get_membership
from partnerboard.accounts.models import Role, Team
from partnerboard.errors import RuleError
from partnerboard.notifications import emails, queries, services
from partnerboard.notifications.models import Notification, NotificationKind
from partnerboard.notifications.sentences import default_sentence
from partnerboard.partners.models import Partner
from partnerboard.projects.models import Project, Stage
from partnerboard.redirects import posted_next_or

logger = logging.getLogger(__name__)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _board_url(notification) -> str:
    return reverse("projects:board", args=[notification.team.slug, notification.project.public_id])


@login_required
@require_POST
def undo(request, team_slug, notification_id):
    membership = get_membership(request, team_slug, Role.MEMBER)
    notification = get_object_or_404(Notification.objects.select_related("team", "project"), team=membership.team, public_id=notification_id)
    try:
        notification = services.undo_notification(request.user, notification)
    except RuleError as error:
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": error.message}, status=error.status)
        messages.error(request, error.message)
        return redirect(posted_next_or(request, _board_url(notification)))
    message = _("Cancelled the email to %(partner)s.") % {"partner": notification.partner.name}
    if notification.kind == NotificationKind.STAGE:
        message = _("Put %(partner)s back and cancelled the email.") % {"partner": notification.partner.name}
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": message})
    messages.success(request, message)
    return redirect(posted_next_or(request, _board_url(notification)))


@login_required
@require_POST
def retry(request, team_slug, notification_id):
    membership = get_membership(request, team_slug, Role.MEMBER)
    notification = get_object_or_404(Notification, team=membership.team, public_id=notification_id)
    try:
        services.retry_notification(request.user, notification)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The email to %(partner)s will be sent again.") % {"partner": notification.partner.name})
    return redirect(posted_next_or(request, reverse("notifications:detail", args=[team_slug, notification.public_id])))


@login_required
@require_GET
def project_log(request, team_slug, project_id):
    membership = get_membership(request, team_slug)
    project = get_object_or_404(Project, team=membership.team, public_id=project_id)
    context = {"title": project.name, "project": project, "notifications": queries.log(membership.team, project=project)[:500], "nav": "projects"}
    return render(request, "notifications/log.html", context)


@login_required
@require_GET
def partner_log(request, team_slug, partner_id):
    membership = get_membership(request, team_slug)
    partner = get_object_or_404(Partner, team=membership.team, public_id=partner_id)
    context = {"title": partner.name, "partner": partner, "notifications": queries.log(membership.team, partner=partner)[:500], "nav": "partners"}
    return render(request, "notifications/log.html", context)


@login_required
@require_GET
def detail(request, team_slug, notification_id):
    membership = get_membership(request, team_slug)
    notification = get_object_or_404(
        Notification.objects.select_related("team", "project", "partner", "stage", "actor"), team=membership.team, public_id=notification_id
    )
    context = {"notification": notification, "email": emails.render_notification(notification), "nav": "projects"}
    return render(request, "notifications/detail.html", context)


def _preview_notification(request, project, stage) -> Notification:
    card = project.cards.select_related("partner").first()
    partner = card.partner if card else Partner(team=project.team, name=_("Your partner"))
    kind = NotificationKind.ADDED if stage.is_first else NotificationKind.STAGE
    return Notification(
        team=project.team, project=project, partner=partner, stage=stage, kind=kind, actor=request.user,
        recipients=[{"name": _("Partner contact"), "email": "contact@partner.example"}],
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage_emails(request, team_slug, project_id):
    membership = get_membership(request, team_slug)
    project = get_object_or_404(Project, team=membership.team, public_id=project_id)
    if request.method == "POST":
        get_membership(request, team_slug, Role.ADMIN)
        stage = get_object_or_404(Stage, project=project, public_id=request.POST.get("stage") or None)
        try:
            services.update_stage_sentence(request.user, stage, request.POST.get("sentence", ""))
        except RuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved the email sentence of %(stage)s.") % {"stage": stage.name})
        return redirect(reverse("notifications:stage_emails", args=[team_slug, project.public_id]) + f"?stage={stage.public_id}")
    stages = list(project.stages.all())
    emailing = [stage for stage in stages if stage.notifies or (stage.is_first and project.email_on_add)]
    selected = next((stage for stage in emailing if str(stage.public_id) == request.GET.get("stage")), emailing[0] if emailing else None)
    preview = emails.render_notification(_preview_notification(request, project, selected)) if selected else None
    context = {
        "project": project,
        "stages": emailing,
        "selected": selected,
        "default_sentence": default_sentence(selected.name) if selected else "",
        "preview": preview,
        "can_edit": membership.has_role(Role.ADMIN),
        "nav": "projects",
    }
    return render(request, "notifications/stage_emails.html", context)


@csrf_exempt  # mail clients post RFC 8058 one-click unsubscribes without a session or CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, team_slug, token):
    try:
        data = emails.read_unsubscribe_token(token)
    except signing.BadSignature:
        logger.warning("Rejected an unsubscribe link whose signature does not match, for team %s", team_slug)
        raise Http404 from None
    team = get_object_or_404(Team, pk=data["team"], slug=team_slug)
    notification = get_object_or_404(Notification, team=team, public_id=data["notification"])
    addresses = [recipient["email"] for recipient in notification.recipients if recipient.get("email")]
    done = False
    status = 200
    if request.method == "POST":
        chosen = request.POST.get("address", "")
        if not chosen and len(addresses) == 1:
            chosen = addresses[0]
        if chosen in addresses:
            services.unsubscribe(team.pk, chosen)
            done = chosen
        else:
            # NOTE: one email goes to all of a partner's contacts, so a one-click request from a
            # mail client does not name one of several addresses. The page then shows a choice.
            status = 400
    context = {"team_name": team.name, "addresses": addresses, "done": done, "token": token, "team_slug": team.slug}
    return render(request, "notifications/unsubscribe.html", context, status=status)
