import pytest

from tests.network.fixtures import partner_contact, partner_team, partner_user  # noqa: F401


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords with MD5: these tests create many users, and PBKDF2 takes most of their time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
