"""The invitation or connection request a visitor opened before signing in or signing up.

The link's page stores the public id in the session, so the signup form can
skip or prefill the team it would otherwise create. The token itself is
never stored: the accept page checks it again when the visitor returns.
"""

from partnerboard.accounts.models import Invitation
from partnerboard.network.models import Connection

PENDING_INVITATION = "pb_pending_invitation"
PENDING_CONNECTION = "pb_pending_connection"


def remember(request, key: str, public_id) -> None:
    request.session[key] = str(public_id)


def forget(request, key: str) -> None:
    request.session.pop(key, None)


def pending_invitation(request):
    public_id = request.session.get(PENDING_INVITATION) if request is not None else None
    if not public_id:
        return None
    invitation = Invitation.objects.select_related("team").filter(public_id=public_id).first()
    return invitation if invitation is not None and invitation.is_pending else None


def pending_connection(request):
    public_id = request.session.get(PENDING_CONNECTION) if request is not None else None
    if not public_id:
        return None
    connection = Connection.objects.select_related("partner", "team").filter(public_id=public_id).first()
    return connection if connection is not None and connection.is_pending else None
