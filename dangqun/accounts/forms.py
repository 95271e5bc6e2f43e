from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.people.models import PersonTag
from dangqun.places.models import Region

MOBILE_ATTRS = {
    "inputmode": "numeric",
    "autocomplete": "tel",
    "maxlength": 14,
    "placeholder": "13812345678",
}


class MobileForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"), max_length=20, widget=forms.TextInput(attrs=MOBILE_ATTRS)
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
                "maxlength": 6,
            }
        ),
    )
    consent = forms.BooleanField(
        label=_("I have read and accept the privacy notice (needed for a new account)."),
        required=False,
    )


class PasswordForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"), max_length=20, widget=forms.TextInput(attrs=MOBILE_ATTRS)
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ProfileForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    home_region = forms.ModelChoiceField(
        label=_("Home village or community"),
        required=False,
        queryset=Region.objects.filter(
            level__in=[
                Region.Level.VILLAGE,
                Region.Level.COMMUNITY,
                Region.Level.STREET,
                Region.Level.TOWN,
            ]
        ),
    )
    resident_id = forms.CharField(
        label=_("Resident ID number (optional)"),
        required=False,
        max_length=18,
        help_text=_(
            "Stored encrypted; staff see only the first 6 and last 4 characters. "
            "Leave empty to keep the number on file."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    tags = forms.MultipleChoiceField(
        label=_("I am"),
        required=False,
        choices=PersonTag.Tag.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    home_branch = forms.CharField(label=_("Home party branch"), required=False, max_length=120)
    trade = forms.ChoiceField(
        label=_("Trade"), required=False, choices=[("", "—"), *PersonTag.Trade.choices]
    )
    platform = forms.CharField(label=_("Platform"), required=False, max_length=60)

    @staticmethod
    def initial_for(person) -> dict:
        """The form as the person's profile fills it (tag details from their tags)."""
        tags = list(person.tags.all())
        details = {t.tag: t for t in tags}
        party = details.get(PersonTag.Tag.PARTY_MEMBER) or details.get(
            PersonTag.Tag.MOBILE_PARTY_MEMBER
        )
        worker = details.get(PersonTag.Tag.NEW_EMPLOYMENT)
        return {
            "name": person.name,
            "birth_date": person.birth_date,
            "home_region": person.home_region,
            "tags": [t.tag for t in tags],
            "home_branch": party.home_branch if party else "",
            "trade": worker.trade if worker else "",
            "platform": worker.platform if worker else "",
        }

    def tags_with_details(self) -> dict[str, dict]:
        details = {k: self.cleaned_data.get(k, "") for k in ("home_branch", "trade", "platform")}
        return dict.fromkeys(self.cleaned_data["tags"], details)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What is the token for?"), max_length=60)
