"""Background work of the partner network: connection request emails, sent by the worker."""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from partnerboard.accounts import tokens
from partnerboard.accounts.emails import absolute_url, send_templated_email
from partnerboard.network.models import Connection

logger = logging.getLogger(__name__)


@task()
def send_connection_email(connection_id: int, sealed_token: str) -> str:
    """Email the connection link to the partner's contact; a revoked, used or already emailed request is skipped."""
    with transaction.atomic():
        connection = (
            Connection.objects.select_for_update(of=("self",))
            .select_related("team", "partner", "invited_by")
            .filter(pk=connection_id)
            .first()
        )
        if connection is None or not connection.is_pending or connection.email_sent_at is not None:
            logger.info("Skipped the email of connection %s: gone, no longer pending or already sent", connection_id)
            return "skipped"
        token = tokens.unseal(sealed_token, connection.token_hash)
        if token is None:
            logger.error(
                "Could not unseal the token of connection %s: SECRET_KEY changed since it was queued; request it again",
                connection.public_id,
            )
            return "failed"
        link = absolute_url(reverse("network:accept", args=[connection.public_id, token]))
        context = {"connection": connection, "team": connection.team, "partner": connection.partner, "link": link}
        reply_to = connection.invited_by.email if connection.invited_by else None
        send_templated_email("network/email/connection", context, to=connection.email, reply_to=reply_to)
        connection.email_sent_at = timezone.now()
        connection.save(update_fields=["email_sent_at"])
    logger.info("Sent the email of connection %s from team %s", connection.public_id, connection.team_id)
    return "sent"
