"""Every URL of the app, requested with GET and POST by every kind of person, with the status each must get.

The people are the owner, admin, member and viewer of Acme Analytics, Otto
of Globex (another team), and an anonymous visitor. The seventh is Pat, a
member of Initech's own team, which is connected to Acme's partner record
for Initech.

Objects outside a person's teams are 404, actions beyond a role are 403,
a wrong method is 405 and anonymous visitors are sent to sign in (302).
A POST that succeeds redirects (302). allauth's pages under /accounts/ are
allauth's own and left out; every other URL needs a row here, or
test_every_url_has_a_row fails.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from partnerboard.accounts import tokens
from partnerboard.accounts.models import Invitation, Kind, Membership, Role
from partnerboard.network.models import Connection
from partnerboard.notifications.emails import unsubscribe_token
from partnerboard.notifications.models import Notification
from partnerboard.partners import import_services
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects.models import Stage
from partnerboard.projects.services import add_partner, deploy_project, move_card

PEOPLE = ["owner", "admin", "member", "viewer", "outsider", "partner", "anonymous"]
RANK = {"viewer": 0, "member": 1, "admin": 2, "owner": 3}


def team_page(min_role: str = "viewer", ok: int = 200) -> dict:
    """Acme's own page: `ok` from `min_role` up, 403 below it, 404 for other teams, 302 to sign in."""
    expected = {person: ok if RANK[person] >= RANK[min_role] else 403 for person in RANK}
    return expected | {"outsider": 404, "partner": 404, "anonymous": 302}


def signed_in(status: int, anonymous: int = 302) -> dict:
    return {person: status for person in PEOPLE} | {"anonymous": anonymous}


GET_ONLY = signed_in(405)
POST_ONLY = signed_in(405)


@dataclass
class Row:
    name: str
    path: Callable[[dict], str]
    get: dict
    post: dict
    data: Callable[[dict], dict] = field(default=lambda world: {})
    note: str = ""


def acme(world, rest: str) -> str:
    return f"/t/{world['team'].slug}/{rest}"


def partner_side(world, rest: str) -> str:
    return f"/t/{world['partner_team'].slug}/{rest}"


ROWS = [
    Row("home", lambda w: "/", signed_in(302), signed_in(302)),
    Row("teams", lambda w: "/teams/", signed_in(200), signed_in(200)),
    # Partners
    Row("partners:list", lambda w: acme(w, "partners/"), team_page(), GET_ONLY),
    Row(
        "partners:new",
        lambda w: acme(w, "partners/new/"),
        team_page("member"),
        team_page("member", 302),
        lambda w: {"name": "Vandelay Industries", "kind": "saas", "contacts": "Art Vandelay <art@vandelay.example>"},
    ),
    Row(
        "partners:import_upload",
        lambda w: acme(w, "partners/import/"),
        team_page("member"),
        team_page("member", 302),
        lambda w: {"file": SimpleUploadedFile("partners.csv", b"Name\nUmbrella\n", "text/csv"), "kind": "saas"},
    ),
    Row(
        "partners:import_preview",
        lambda w: acme(w, f"partners/import/{w['import'].public_id}/"),
        team_page("member", 404) | {"owner": 200},
        GET_ONLY,
        note="an import is visible to the member who uploaded it (the owner here) only",
    ),
    Row(
        "partners:import_confirm",
        lambda w: acme(w, f"partners/import/{w['import'].public_id}/confirm/"),
        POST_ONLY,
        team_page("member", 404) | {"owner": 302},
    ),
    Row(
        "partners:import_cancel",
        lambda w: acme(w, f"partners/import/{w['import'].public_id}/cancel/"),
        POST_ONLY,
        team_page("member", 404) | {"owner": 302},
    ),
    Row("partners:export", lambda w: acme(w, "partners/export.csv"), team_page(), GET_ONLY),
    Row("partners:detail", lambda w: acme(w, f"partners/{w['saas_partner'].public_id}/"), team_page(), GET_ONLY),
    Row(
        "partners:detail",
        lambda w: acme(w, f"partners/{w['globex_partner'].public_id}/"),
        signed_in(404),
        GET_ONLY,
        note="another team's partner under Acme's address",
    ),
    Row(
        "partners:edit",
        lambda w: acme(w, f"partners/{w['saas_partner'].public_id}/edit/"),
        team_page("member"),
        team_page("member", 302),
        lambda w: {"name": "Initech", "kind": "saas", "contacts": "Peter Gibbons <peter@initech.example>"},
    ),
    Row("partners:archive", lambda w: acme(w, f"partners/{w['saas_partner'].public_id}/archive/"), POST_ONLY, team_page("member", 302)),
    Row("partners:restore", lambda w: acme(w, f"partners/{w['saas_partner'].public_id}/restore/"), POST_ONLY, team_page("member", 302)),
    # Projects
    Row("projects:list", lambda w: acme(w, "projects/"), team_page(), GET_ONLY),
    Row(
        "projects:new",
        lambda w: acme(w, "projects/new/"),
        team_page(),
        team_page("member", 302),
        lambda w: {"template": "co-selling"},
    ),
    Row("projects:board", lambda w: acme(w, f"projects/{w['integrations'].public_id}/"), team_page(), GET_ONLY),
    Row(
        "projects:board",
        lambda w: acme(w, f"projects/{w['co_marketing'].public_id}/"),
        team_page(),
        GET_ONLY,
        note="the internal project carrying the partner's card",
    ),
    Row(
        "projects:board",
        lambda w: acme(w, f"projects/{w['globex_project'].public_id}/"),
        signed_in(404),
        GET_ONLY,
        note="another team's project under Acme's address",
    ),
    Row(
        "projects:settings",
        lambda w: acme(w, f"projects/{w['integrations'].public_id}/settings/"),
        team_page(),
        team_page("admin", 302),
        lambda w: {"name": "Integrations", "email_on_add": "on"},
    ),
    Row("projects:archive", lambda w: acme(w, f"projects/{w['integrations'].public_id}/archive/"), POST_ONLY, team_page("admin", 302)),
    Row("projects:restore", lambda w: acme(w, f"projects/{w['integrations'].public_id}/restore/"), POST_ONLY, team_page("admin", 302)),
    Row(
        "projects:add",
        lambda w: acme(w, f"projects/{w['integrations'].public_id}/add/"),
        team_page(),
        team_page("member", 302),
        lambda w: {"partner": str(w["addable"].public_id)},
    ),
    Row(
        "projects:column",
        lambda w: acme(w, f"projects/{w['integrations'].public_id}/stages/{w['qa'].public_id}/cards/?after=0"),
        team_page(),
        GET_ONLY,
    ),
    Row(
        "projects:card",
        lambda w: acme(w, f"projects/{w['integrations'].public_id}/cards/{w['card'].public_id}/"),
        team_page(),
        GET_ONLY,
    ),
    Row(
        "projects:move",
        lambda w: acme(w, f"projects/{w['integrations'].public_id}/cards/{w['card'].public_id}/move/"),
        POST_ONLY,
        team_page("member", 302),
        lambda w: {"stage": str(w["qa"].public_id), "version": w["card"].version, "request_key": str(uuid.uuid4())},
    ),
    # Notifications
    Row(
        "notifications:detail",
        lambda w: acme(w, f"notifications/{w['notification'].public_id}/"),
        team_page(),
        GET_ONLY,
    ),
    Row("notifications:undo", lambda w: acme(w, f"notifications/{w['notification'].public_id}/undo/"), POST_ONLY, team_page("member", 302)),
    Row("notifications:retry", lambda w: acme(w, f"notifications/{w['notification'].public_id}/retry/"), POST_ONLY, team_page("member", 302)),
    Row(
        "notifications:project_log",
        lambda w: acme(w, f"notifications/projects/{w['integrations'].public_id}/"),
        team_page(),
        GET_ONLY,
    ),
    Row(
        "notifications:stage_emails",
        lambda w: acme(w, f"notifications/projects/{w['integrations'].public_id}/emails/"),
        team_page(),
        team_page("admin", 302),
        lambda w: {"stage": str(w["qa"].public_id), "sentence": "We are testing the integration together."},
    ),
    Row(
        "notifications:partner_log",
        lambda w: acme(w, f"notifications/partners/{w['saas_partner'].public_id}/"),
        team_page(),
        GET_ONLY,
    ),
    Row(
        "notifications:unsubscribe",
        lambda w: acme(w, f"notifications/unsubscribe/{w['unsubscribe_token']}/"),
        signed_in(200, anonymous=200),
        signed_in(200, anonymous=200),
        note="the emailed unsubscribe link needs no account",
    ),
    # Members
    Row("members", lambda w: acme(w, "members/"), team_page(), GET_ONLY),
    Row(
        "invite",
        lambda w: acme(w, "members/invite/"),
        POST_ONLY,
        team_page("admin", 302),
        lambda w: {"email": "nadia@example.com", "role": "member"},
    ),
    Row(
        "revoke_invitation",
        lambda w: acme(w, f"members/invitations/{w['invitation'].public_id}/revoke/"),
        POST_ONLY,
        team_page("admin", 302),
    ),
    Row(
        "change_role",
        lambda w: acme(w, f"members/{w['member_membership'].public_id}/role/"),
        POST_ONLY,
        team_page("admin", 302),
        lambda w: {"role": "viewer"},
    ),
    Row(
        "remove_member",
        lambda w: acme(w, f"members/{w['member_membership'].public_id}/remove/"),
        POST_ONLY,
        team_page("admin", 302) | {"member": 302},
        note="the target is Max, the member, who may remove himself (leave)",
    ),
    Row(
        "transfer_ownership",
        lambda w: acme(w, f"members/{w['admin_membership'].public_id}/transfer/"),
        POST_ONLY,
        team_page("owner", 302),
    ),
    Row(
        "delete_team",
        lambda w: acme(w, "delete/"),
        team_page("owner"),
        team_page("owner", 302),
        lambda w: {"confirm_name": "Acme Analytics"},
    ),
    Row(
        "accept_invitation",
        lambda w: f"/invitations/{w['invitation'].public_id}/{w['invitation_token']}/",
        signed_in(403, anonymous=200),
        signed_in(403, anonymous=302),
        note="the invitation is for nadia@example.com, who is none of these people",
    ),
    # Partner network
    Row(
        "network:accept",
        lambda w: f"/connect/{w['connection'].public_id}/{w['connection_token']}/",
        signed_in(403, anonymous=200),
        signed_in(403, anonymous=302),
        lambda w: {"team": ""},
        note="the request went to gavin@hooli.example, who is none of these people",
    ),
    Row("network:connections", lambda w: acme(w, "connections/"), team_page(), GET_ONLY),
    Row(
        "network:request",
        lambda w: acme(w, f"connections/request/{w['agency_partner'].public_id}/"),
        POST_ONLY,
        team_page("admin", 302),
        lambda w: {"email": "gavin@hooli.example"},
    ),
    Row(
        "network:revoke",
        lambda w: acme(w, f"connections/{w['connection'].public_id}/revoke/"),
        POST_ONLY,
        team_page("admin", 302),
    ),
    Row(
        "network:disconnect",
        lambda w: acme(w, f"connections/disconnect/{w['saas_partner'].public_id}/"),
        POST_ONLY,
        team_page("admin", 302),
    ),
    Row(
        "network:disconnect",
        lambda w: partner_side(w, f"connections/disconnect/{w['saas_partner'].public_id}/"),
        POST_ONLY,
        signed_in(404) | {"partner": 403},
        note="from Initech's side, where Pat is a member, not an admin",
    ),
    Row(
        "network:shared",
        lambda w: partner_side(w, f"shared/{w['card'].public_id}/"),
        signed_in(404) | {"partner": 200},
        GET_ONLY,
    ),
    Row(
        "network:shared",
        lambda w: partner_side(w, f"shared/{w['internal_card'].public_id}/"),
        signed_in(404),
        GET_ONLY,
        note="the partner's card on an internal project",
    ),
    Row(
        "network:shared",
        lambda w: partner_side(w, f"shared/{w['umbrella_card'].public_id}/"),
        signed_in(404),
        GET_ONLY,
        note="another partner's card on the shared project",
    ),
]


def _pending_link(model, **fields):
    token, token_hash = tokens.new_token()
    record = model.objects.create(
        token_hash=token_hash, expires_at=timezone.now() + datetime.timedelta(days=7), **fields
    )
    return record, token


@pytest.fixture
def world(
    owner, admin, member, viewer, outsider, other_team, team, saas_partner, agency_partner,
    integrations, co_marketing, partner_team, partner_user,
):
    umbrella = create_partner(owner, team, PartnerData(name="Umbrella", kind=Kind.SAAS))
    card = add_partner(owner, integrations, saas_partner)
    qa = Stage.objects.get(project=integrations, name="QA")
    card = move_card(owner, card, Stage.objects.get(project=integrations, name="Specifications"))
    notification = Notification.objects.filter(card=card).order_by("-pk").first()
    invitation, invitation_token = _pending_link(
        Invitation, team=team, email="nadia@example.com", role=Role.MEMBER, invited_by=owner
    )
    connection, connection_token = _pending_link(
        Connection, team=team, partner=agency_partner, email="gavin@hooli.example", invited_by=owner
    )
    globex_partner = create_partner(outsider, other_team, PartnerData(name="Globex Partner", kind=Kind.SAAS))
    return {
        "team": team,
        "partner_team": partner_team,
        "saas_partner": saas_partner,
        "agency_partner": agency_partner,
        # Not on any project yet: the partner the add form adds.
        "addable": create_partner(owner, team, PartnerData(name="Umbrella Two", kind=Kind.SAAS)),
        "integrations": integrations,
        "co_marketing": co_marketing,
        "card": card,
        "qa": qa,
        "internal_card": add_partner(owner, co_marketing, saas_partner),
        "umbrella_card": add_partner(owner, integrations, umbrella),
        "notification": notification,
        "unsubscribe_token": unsubscribe_token(notification),
        "invitation": invitation,
        "invitation_token": invitation_token,
        "connection": connection,
        "connection_token": connection_token,
        "import": import_services.stage_import(owner, team, "partners.csv", b"Name\nSoylent\n", Kind.SAAS),
        "member_membership": Membership.objects.get(team=team, user=member),
        "admin_membership": Membership.objects.get(team=team, user=admin),
        "globex_partner": globex_partner,
        "globex_project": deploy_project(outsider, other_team, "co-selling"),
        "people": {
            "owner": owner,
            "admin": admin,
            "member": member,
            "viewer": viewer,
            "outsider": outsider,
            "partner": partner_user,
            "anonymous": None,
        },
    }


CASES = [
    pytest.param(row, method, person, id=f"{row.name}{'[' + row.note[:30] + ']' if row.note else ''}-{method}-{person}")
    for row in ROWS
    for method in ("GET", "POST")
    for person in PEOPLE
]


@pytest.mark.parametrize("row,method,person", CASES)
def test_status(client, world, row, method, person):
    user = world["people"][person]
    if user is not None:
        client.force_login(user)
    path = row.path(world)
    expected = (row.get if method == "GET" else row.post)[person]

    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, row.data(world))

    assert response.status_code == expected, f"{method} {path} as {person}"
    if person == "anonymous" and expected == 302 and row.name not in {"home"}:
        assert response["Location"].startswith("/accounts/login/")


def _route_names(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _route_names(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}"


def test_every_url_has_a_row():
    routes = {name: route for route, name in _route_names(get_resolver().url_patterns) if not route.startswith("accounts/")}
    covered = {row.name for row in ROWS}

    assert sorted(set(routes) - covered) == [], "add rows for these URLs to ROWS"
    assert sorted(covered - set(routes)) == [], "these rows name URLs that no longer exist"
