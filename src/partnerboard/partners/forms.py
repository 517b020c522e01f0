from email.utils import parseaddr

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerboard.accounts.models import Kind
from partnerboard.partners.services import PartnerData


class PartnerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices)
    website = forms.CharField(label=gettext_lazy("Website"), max_length=300, required=False)
    contacts = forms.CharField(
        label=gettext_lazy("Contacts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line, as Name <email@example.com> or just the address."),
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_contacts(self):
        contacts = []
        for number, line in enumerate(self.cleaned_data["contacts"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            name, email = parseaddr(line)
            if "@" not in email or "\n" in name or "\r" in name:
                raise forms.ValidationError(
                    _("Line %(number)d, %(line)r, has no valid email address; write Name <name@example.com>.")
                    % {"number": number, "line": line}
                )
            contacts.append((name, email))
        return contacts

    def to_data(self) -> PartnerData:
        return PartnerData(**self.cleaned_data)

    @staticmethod
    def initial_for(partner) -> dict:
        lines = [f"{contact.name} <{contact.email}>" if contact.name else contact.email for contact in partner.contacts.all()]
        return {
            "name": partner.name,
            "kind": partner.kind,
            "website": partner.website,
            "notes": partner.notes,
            "contacts": "\n".join(lines),
        }
