from django.urls import path

from partnerboard.accounts import views

urlpatterns = [
    path("teams/", views.teams, name="teams"),
    path("invitations/<uuid:invitation_id>/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("t/<slug:team_slug>/members/", views.members, name="members"),
    path("t/<slug:team_slug>/members/invite/", views.invite, name="invite"),
    path(
        "t/<slug:team_slug>/members/invitations/<uuid:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("t/<slug:team_slug>/members/<uuid:member_id>/role/", views.change_role, name="change_role"),
    path("t/<slug:team_slug>/members/<uuid:member_id>/remove/", views.remove_member, name="remove_member"),
    path("t/<slug:team_slug>/members/<uuid:member_id>/transfer/", views.transfer_ownership, name="transfer_ownership"),
    path("t/<slug:team_slug>/delete/", views.delete_team, name="delete_team"),
]
