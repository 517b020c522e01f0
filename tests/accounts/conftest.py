from tests.network.fixtures import partner_contact, partner_team, partner_user  # noqa: F401
