from allauth.core import context as allauth_context
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerboard.accounts.models import Kind, Role
from partnerboard.accounts.pending import pending_connection, pending_invitation
from partnerboard.accounts.services import create_team


class TeamSignupForm(forms.Form):
    """Extra fields on allauth's signup form: the team that signing up creates.

    A visitor who opened a member invitation joins that team instead, so the
    team fields are dropped. One who opened a connection request creates the
    partner company's team, named after the partner record and of its kind.
    """

    team_name = forms.CharField(label=gettext_lazy("Team name"), max_length=200)
    team_kind = forms.ChoiceField(label=gettext_lazy("Your company is a"), choices=Kind.choices, initial=Kind.SAAS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # allauth builds this form without the request; its middleware keeps the current one here.
        request = allauth_context.request
        self.invitation = pending_invitation(request)
        self.connection = None if self.invitation else pending_connection(request)
        if self.invitation is not None:
            del self.fields["team_name"]
            del self.fields["team_kind"]
            self.initial["email"] = self.invitation.email
        elif self.connection is not None:
            partner = self.connection.partner
            del self.fields["team_kind"]
            self.fields["team_name"].initial = partner.name
            self.fields["team_name"].help_text = _(
                "Your team is created as %(kind)s, as %(owner)s lists %(partner)s."
            ) % {"kind": partner.get_kind_display(), "owner": self.connection.team.name, "partner": partner.name}
            self.initial["email"] = self.connection.email

    def clean(self):
        cleaned = super().clean()
        invited = self.invitation or self.connection
        email = (cleaned.get("email") or "").strip()
        if invited is not None and email and email.casefold() != invited.email.casefold():
            self.add_error(
                "email",
                _("The link you opened was sent to %(invited)s; sign up with that address to accept it.")
                % {"invited": invited.email},
            )
        return cleaned

    def signup(self, request, user):
        if self.invitation is not None:
            return
        if self.connection is not None:
            create_team(self.cleaned_data["team_name"], self.connection.partner.kind, user)
            return
        create_team(self.cleaned_data["team_name"], self.cleaned_data["team_kind"], user)


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)


class DeleteTeamForm(forms.Form):
    confirm_name = forms.CharField(label=gettext_lazy("Type the team name to confirm"), max_length=200)
