from django import forms
from django.utils.translation import gettext_lazy as _

from partnerboard.accounts.models import Kind
from partnerboard.accounts.services import create_team


class TeamSignupForm(forms.Form):
    """Extra fields on allauth's signup form: the team that signing up creates."""

    team_name = forms.CharField(label=_("Team name"), max_length=200)
    team_kind = forms.ChoiceField(label=_("Your company is a"), choices=Kind.choices, initial=Kind.SAAS)

    def signup(self, request, user):
        create_team(self.cleaned_data["team_name"], self.cleaned_data["team_kind"], user)
