"""The partner email of a notification: one function renders its subject, plain text and HTML.

Every name that reaches a header (team, contact, member) is reduced to one
line first, and addresses are built with ``email.utils.formataddr``, so a name
containing CR/LF, quotes or a comma can neither add a header nor a recipient.
"""

import logging
from dataclasses import dataclass
from email.utils import formataddr

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from partnerboard.accounts.models import User
from partnerboard.notifications.models import Notification, NotificationKind
from partnerboard.notifications.sentences import stage_sentence

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "partnerboard.notifications.unsubscribe"


@dataclass
class RenderedEmail:
    subject: str
    text: str
    html: str
    recipients: list[str]
    from_address: str
    reply_to: list[str]
    headers: dict[str, str]


def one_line(value: str) -> str:
    """Collapse every run of whitespace, line breaks included, into one space."""
    return " ".join(str(value or "").split())


def _valid_address(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def partner_recipients(notification: Notification) -> list[str]:
    """Return the To addresses: the recipients snapshot, minus anyone who is a member of the sending team."""
    member_addresses = {
        email.lower() for email in User.objects.filter(memberships__team_id=notification.team_id).values_list("email", flat=True)
    }
    addresses = []
    seen = set()
    for recipient in notification.recipients:
        address = str(recipient.get("email", "")).strip()
        key = address.lower()
        if not _valid_address(address) or key in member_addresses or key in seen:
            continue
        seen.add(key)
        addresses.append(formataddr((one_line(recipient.get("name", "")), address)))
    return addresses


def unsubscribe_token(notification: Notification) -> str:
    return signing.dumps({"team": notification.team_id, "notification": str(notification.public_id)}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> dict:
    """Return the token's team id and notification id; raises signing.BadSignature when it was altered."""
    return signing.loads(token, salt=UNSUBSCRIBE_SALT)


def absolute_url(path: str) -> str:
    return settings.PARTNERBOARD_BASE_URL.rstrip("/") + path


def partner_link(notification: Notification) -> str:
    """Return where a shared project's email sends the partner, or "" for an internal project.

    A partner linked to its own team gets its card's page on that team's side.
    An unlinked partner has no such page yet, so its link goes to the site root.
    """
    if not notification.project.is_shared:
        return ""
    linked_team = notification.partner.linked_team
    if linked_team is None or notification.card_id is None:
        return absolute_url("/")
    return absolute_url(reverse("network:shared", args=[linked_team.slug, notification.card.public_id]))


def _context(notification: Notification) -> dict:
    team = one_line(notification.team.name)
    partner = one_line(notification.partner.name)
    project = one_line(notification.project.name)
    stage = notification.stage
    names = {"team": team, "partner": partner, "project": project}
    if notification.kind == NotificationKind.ADDED:
        subject = _("%(team)s added you to its %(project)s project") % names
        sentence = _("%(team)s added %(partner)s to its %(project)s project.") % names
        stage_line = stage_sentence(stage, **names) if stage.email_sentence.strip() else ""
    else:
        subject = _("%(project)s with %(team)s: %(stage)s") % {**names, "stage": one_line(stage.name)}
        sentence = stage_sentence(stage, **names)
        stage_line = ""
    actor = notification.actor
    return {
        "subject": subject,
        "sentence": sentence,
        "stage_line": stage_line,
        "team_name": team,
        "partner_name": partner,
        "project_name": project,
        "stage_name": one_line(stage.name),
        "actor_name": one_line(actor.get_full_name()) if actor else "",
        # The sentence about replying names the member, or gives the address when no name is set.
        "actor_label": (one_line(actor.get_full_name()) or actor.email) if actor else "",
        "link": partner_link(notification),
        "unsubscribe_url": absolute_url(reverse("notifications:unsubscribe", args=[notification.team.slug, unsubscribe_token(notification)])),
    }


def render_notification(notification: Notification) -> RenderedEmail:
    """Render the notification's email: subject, plain text, HTML, addresses and headers."""
    context = _context(notification)
    text = render_to_string("notifications/email/notification.txt", context)
    html = render_to_string("notifications/email/notification.html", context)
    actor = notification.actor
    reply_to = [formataddr((context["actor_name"], actor.email))] if actor and _valid_address(actor.email) else []
    headers = {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    return RenderedEmail(
        subject=one_line(context["subject"]),
        text=text,
        html=html,
        recipients=partner_recipients(notification),
        from_address=formataddr((context["team_name"], settings.PARTNERBOARD_FROM_EMAIL)),
        reply_to=reply_to,
        headers=headers,
    )


def message_id(notification: Notification) -> str:
    """Return a Message-ID that is the same on every attempt, so receivers can drop a repeated delivery."""
    domain = settings.PARTNERBOARD_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<notification-{notification.public_id}@{domain}>"


def build_message(notification: Notification, connection=None) -> EmailMultiAlternatives:
    rendered = render_notification(notification)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=rendered.from_address,
        to=rendered.recipients,
        reply_to=rendered.reply_to,
        headers={**rendered.headers, "Message-ID": message_id(notification)},
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
