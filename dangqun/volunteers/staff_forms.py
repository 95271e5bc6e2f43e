"""Forms of the volunteers' back office: a new team, enrolling a member by mobile number,
a reward of a center's catalogue, the person at the counter, revoking a certificate, the
rule of a training's certificates, and the figures' scope and period. They check the
shape of what was typed; the services hold the rules, and their refusals come back beside
the field they name (`place_domain_error` maps the services' field names onto these)."""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core.errors import ValidationFailed
from dangqun.core.forms import day_field
from dangqun.partners.fields import partnership_fields
from dangqun.people import identity

from .models import Team


class _PlacedErrors:
    """A service's error beside this form's field of that name (or of the mapped name)."""

    FIELD_OF: dict[str, str] = {}

    def place_domain_error(self, error) -> None:
        field = self.FIELD_OF.get(error.field or "", error.field)
        if field in self.fields:
            self.add_error(field, str(error.message))
        else:
            self.add_error(None, str(error.message))


class TeamForm(_PlacedErrors, forms.Form):
    FIELD_OF = {"center": "owner", "region": "owner"}

    owner = forms.ChoiceField(
        label=_("The team belongs to"),
        help_text=_("A center (its street is the team's region) or a street or the district."),
    )
    name = forms.CharField(label=pgettext_lazy("team", "Name of the team"), max_length=120)
    name_en = forms.CharField(label=_("English name"), required=False, max_length=120)
    join_rule = forms.ChoiceField(
        label=_("Who may join"),
        choices=Team.JoinRule.choices,
        initial=Team.JoinRule.OPEN,
        widget=forms.RadioSelect,
    )
    requires_verified = forms.BooleanField(
        label=_("Only volunteers whom staff have verified"), required=False
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, owners: list[tuple[str, str]], centers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners
        partnership_fields(self, centers, sub_brand=False)
        self.fields["partner"].help_text = _("A partner's team: its hours count for the partner.")


class MobileField(forms.CharField):
    """A mainland mobile number as people type it (spaces, dashes, +86, full-width digits),
    normalised by people's one rule."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "type": "tel"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return identity.normalize_mobile(value)
        except ValidationFailed as error:
            raise forms.ValidationError(str(error.message)) from None


class MemberAddForm(_PlacedErrors, forms.Form):
    FIELD_OF = {"person": "mobile", "volunteer": "mobile"}

    mobile = MobileField(
        label=_("Mobile number of the volunteer"),
        help_text=_("They must have registered with the volunteer group."),
    )


class RewardForm(_PlacedErrors, forms.Form):
    FIELD_OF = {"is_active": "offered"}

    center = forms.ChoiceField(label=_("Center"))
    name = forms.CharField(label=pgettext_lazy("reward", "Name of the reward"), max_length=120)
    name_en = forms.CharField(label=_("English name"), required=False, max_length=120)
    points = forms.DecimalField(
        label=_("Points it costs"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100000"),
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    stock = forms.IntegerField(label=_("In stock"), min_value=0, max_value=1_000_000)
    offered = forms.BooleanField(label=_("Offered now"), required=False, initial=True)

    def __init__(self, *args, centers: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if centers is None:  # an item keeps its center
            del self.fields["center"]
        else:
            self.fields["center"].choices = centers


class CounterFindForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number of the person"),
        max_length=30,
        help_text=_("The whole number, or at least 4 of its digits for people in your regions."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "type": "tel", "autocomplete": "off"}),
    )

    def clean_mobile(self):
        digits = identity.mobile_digits(self.cleaned_data["mobile"])
        if not (digits.isascii() and digits.isdigit()) or not 4 <= len(digits) <= 11:
            raise forms.ValidationError(
                _("Enter the mobile number: digits only, at least 4 of them.")
            )
        return digits


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is revoked"),
        max_length=200,
        help_text=_("The verification page says the certificate is revoked."),
        widget=forms.TextInput(),
    )


class TrainingRuleForm(_PlacedErrors, forms.Form):
    ALL, AT_LEAST = "all", "at_least"

    rule = forms.ChoiceField(
        label=_("Who receives a certificate"),
        choices=[
            (ALL, _("Those who attended every session")),
            (AT_LEAST, _("Those who attended at least this many sessions")),
        ],
        initial=ALL,
        widget=forms.RadioSelect,
    )
    min_sessions = forms.IntegerField(
        label=_("Sessions at least"), required=False, min_value=1, max_value=1000
    )

    def clean(self):
        data = super().clean()
        missing = data.get("rule") == self.AT_LEAST and data.get("min_sessions") is None
        if missing and "min_sessions" not in self.errors:
            self.add_error("min_sessions", _("Enter how many sessions."))
        return data

    def needed(self) -> int | None:
        """The sessions asked for (None: all of them)."""
        if self.cleaned_data.get("rule") == self.AT_LEAST:
            return self.cleaned_data.get("min_sessions")
        return None


def month_bounds(day: date) -> tuple[date, date]:
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


class FiguresForm(forms.Form):
    THIS_MONTH, LAST_MONTH, THIS_YEAR, DATES = "this_month", "last_month", "this_year", "dates"

    where = forms.ChoiceField(label=_("Whose figures"))
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            (THIS_MONTH, _("This month")),
            (LAST_MONTH, _("Last month")),
            (THIS_YEAR, _("This year")),
            (DATES, _("From … to …")),
        ],
        initial=THIS_MONTH,
    )
    start = day_field(pgettext_lazy("period", "From"))
    end = day_field(pgettext_lazy("period", "To"))

    def __init__(self, *args, places: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["where"].choices = places
        self.fields["start"].help_text = _("For “From … to …” only.")

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        period = data.get("period")
        if period == self.THIS_MONTH:
            data["start"], data["end"] = month_bounds(today)
        elif period == self.LAST_MONTH:
            data["start"], data["end"] = month_bounds(today.replace(day=1) - timedelta(days=1))
        elif period == self.THIS_YEAR:
            data["start"], data["end"] = date(today.year, 1, 1), date(today.year, 12, 31)
        elif period == self.DATES and not self.errors:
            if data.get("start") is None:
                self.add_error("start", _("Enter the first day."))
            if data.get("end") is None:
                self.add_error("end", _("Enter the last day."))
            elif data.get("start") and data["end"] < data["start"]:
                self.add_error("end", _("The last day comes before the first."))
        return data
