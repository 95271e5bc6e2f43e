"""Forms of the people's back office: looking at a full number, granting a role."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import StaffRole


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the full number?"), max_length=200)


class RoleGrantForm(forms.Form):
    mobile = forms.CharField(label=_("Mobile number of the person"), max_length=20)
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.Role.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=None)
    center = forms.ModelChoiceField(
        label=_("Center (for center staff)"), queryset=None, required=False
    )
    partner_name = forms.CharField(
        label=_("Partner (for partner staff)"), max_length=120, required=False
    )

    def __init__(self, *args, regions, centers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["center"].queryset = centers
