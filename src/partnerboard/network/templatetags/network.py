from django import template

from partnerboard.accounts.models import Role
from partnerboard.network.models import Connection

register = template.Library()


@register.inclusion_tag("network/_partner_connection.html", takes_context=True)
def partner_connection(context, partner):
    """Render the connection panel of a partner's page: its linked team, or a form to request a connection."""
    membership = context.get("membership")
    pending = [
        connection
        for connection in Connection.objects.filter(partner=partner, accepted_at__isnull=True, revoked_at__isnull=True)
        if connection.is_pending
    ]
    return {
        "partner": partner,
        "team": context.get("team"),
        "csrf_token": context.get("csrf_token"),
        "pending": pending,
        "contacts": [contact for contact in partner.contacts.all() if contact.unsubscribed_at is None],
        "can_manage": membership is not None and membership.has_role(Role.ADMIN),
    }
