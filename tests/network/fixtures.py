"""The partner side: Initech's own team, connected to Acme's partner record for Initech.

Peter Gibbons is Initech's contact in Acme's partner list; he accepted the
connection and owns Initech's team. Pat is a member of that team.
"""

import pytest

from partnerboard.accounts.models import Membership, Role
from partnerboard.network.models import Connection
from partnerboard.network.services import accept_connection, request_connection
from tests.accounts.helpers import emailed_link
from tests.conftest import make_user


def connect(owner, partner, contact_user, team=None):
    """Request a connection as `owner`, follow the emailed link's token and accept as `contact_user`."""
    request_connection(owner, partner, contact_user.email)
    path = emailed_link(contact_user.email)
    connection_id, token = path.strip("/").split("/")[1:3]
    connection = Connection.objects.get(public_id=connection_id)
    return accept_connection(contact_user, connection, token, team)


@pytest.fixture
def partner_contact(db):
    return make_user("peter@initech.example")


@pytest.fixture
def partner_team(owner, saas_partner, partner_contact):
    team = connect(owner, saas_partner, partner_contact)
    saas_partner.refresh_from_db()
    return team


@pytest.fixture
def partner_user(partner_team):
    user = make_user("pat@initech.example")
    Membership.objects.create(team=partner_team, user=user, role=Role.MEMBER)
    return user
