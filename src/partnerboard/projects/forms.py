from django import forms
from django.utils.translation import gettext_lazy as _


class MoveForm(forms.Form):
    """A move as posted by the board's drag and drop, by the "Move to" control or by the API."""

    stage = forms.UUIDField()
    # The card the moved card lands right below; empty means "at the bottom" unless `top` is set.
    after = forms.UUIDField(required=False)
    top = forms.BooleanField(required=False)
    version = forms.IntegerField(required=False, min_value=1)
    request_key = forms.UUIDField(required=False)


class ProjectSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email_on_add = forms.BooleanField(label=_("Email partners when they are added"), required=False)
