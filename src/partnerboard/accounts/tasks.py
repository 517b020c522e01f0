"""Background work of the accounts app: invitation emails, sent by the worker, never by the web request."""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from partnerboard.accounts import tokens
from partnerboard.accounts.emails import absolute_url, send_templated_email
from partnerboard.accounts.models import Invitation

logger = logging.getLogger(__name__)


@task()
def send_invitation_email(invitation_id: int, sealed_token: str) -> str:
    """Email the invitation link; a revoked, accepted or already emailed invitation is skipped.

    The invitation row is locked while sending, so two workers running the
    same task send one email.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",)).select_related("team", "invited_by").filter(pk=invitation_id).first()
        )
        if invitation is None or not invitation.is_pending or invitation.email_sent_at is not None:
            logger.info("Skipped the email of invitation %s: gone, no longer pending or already sent", invitation_id)
            return "skipped"
        token = tokens.unseal(sealed_token, invitation.token_hash)
        if token is None:
            logger.error(
                "Could not unseal the token of invitation %s: SECRET_KEY changed since it was queued; "
                "revoke it and invite again",
                invitation.public_id,
            )
            return "failed"
        link = absolute_url(reverse("accept_invitation", args=[invitation.public_id, token]))
        context = {"invitation": invitation, "team": invitation.team, "link": link, "inviter": invitation.invited_by}
        reply_to = invitation.invited_by.email if invitation.invited_by else None
        send_templated_email("accounts/email/invitation", context, to=invitation.email, reply_to=reply_to)
        invitation.email_sent_at = timezone.now()
        invitation.save(update_fields=["email_sent_at"])
    logger.info("Sent the email of invitation %s to team %s", invitation.public_id, invitation.team_id)
    return "sent"
