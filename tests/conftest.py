"""Named people and teams shared by the tests.

Acme Analytics is the team under test: Olivia owns it, Max is a member and
Vera a viewer. Otto belongs to another team, Globex, and must never see
Acme's data.
"""

import pytest
from django.core.cache import cache
from django.db import connection

from partnerboard.accounts.models import Kind, Membership, Role, Team, User
from partnerboard.accounts.services import create_team
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects.services import deploy_project


DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def empty_cache(request, django_db_blocker):
    """Leave empty rate-limit counters behind; the cache table outlives a test's transaction."""
    yield
    if DATABASE_FIXTURES & set(request.fixturenames) or request.node.get_closest_marker("django_db"):
        # The db fixture has already been torn down and blocked access again.
        with django_db_blocker.unblock():
            cache.clear()


def make_user(email: str) -> User:
    return User.objects.create_user(email=email, password="correct horse battery staple")


@pytest.fixture
def owner(db) -> User:
    return make_user("olivia@acme.example")


@pytest.fixture
def team(owner) -> Team:
    return create_team("Acme Analytics", Kind.SAAS, owner)


def _member(team: Team, email: str, role: str) -> User:
    user = make_user(email)
    Membership.objects.create(team=team, user=user, role=role)
    return user


@pytest.fixture
def admin(team) -> User:
    return _member(team, "adam@acme.example", Role.ADMIN)


@pytest.fixture
def member(team) -> User:
    return _member(team, "max@acme.example", Role.MEMBER)


@pytest.fixture
def viewer(team) -> User:
    return _member(team, "vera@acme.example", Role.VIEWER)


@pytest.fixture
def outsider(db) -> User:
    user = make_user("otto@globex.example")
    create_team("Globex", Kind.SAAS, user)
    return user


@pytest.fixture
def other_team(outsider) -> Team:
    return Team.objects.get(memberships__user=outsider)


@pytest.fixture
def saas_partner(team, owner):
    return create_partner(
        owner,
        team,
        PartnerData(name="Initech", kind=Kind.SAAS, contacts=[("Peter Gibbons", "peter@initech.example")]),
    )


@pytest.fixture
def agency_partner(team, owner):
    return create_partner(
        owner,
        team,
        PartnerData(name="Hooli Studio", kind=Kind.AGENCY, contacts=[("Gavin Belson", "gavin@hooli.example")]),
    )


@pytest.fixture
def integrations(team, owner):
    return deploy_project(owner, team, "integrations")


@pytest.fixture
def co_marketing(team, owner):
    return deploy_project(owner, team, "co-marketing")


@pytest.fixture
def client_for(client):
    """Return a test client signed in as the given user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def pytest_collection_modifyitems(config, items):
    """Leave tests marked postgresql out of a run on another database.

    They are deselected rather than skipped: the PostgreSQL pass of make test
    runs them, and a skip in CI would hide a test that never ran anywhere.
    """
    if connection.vendor == "postgresql":
        return
    deselected = [item for item in items if item.get_closest_marker("postgresql")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]
