"""Forms of the volunteer's own pages: joining a team (registering as a volunteer on the
way), handing one's place to another member, asking for a service certificate, asking for
a correction of a ledger line. They check the shape of what was typed; the services hold
the rules, and their refusals come back beside the field they name."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core.forms import day_field
from dangqun.core.templatetags.dq import loc

MAX_HOURS = 24


class _PlacedErrors:
    """A service's error beside this form's field of that name (or of the mapped name),
    else above the form."""

    FIELD_OF: dict[str, str] = {}

    def place_domain_error(self, error) -> None:
        field = self.FIELD_OF.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, str(error.message))


class JoinForm(_PlacedErrors, forms.Form):
    """Joining a team; someone without the volunteer group ticks the box to register."""

    FIELD_OF = {"tag": "volunteer", "team": None}

    volunteer = forms.BooleanField(
        label=_("I register as a volunteer"),
        required=False,
        help_text=_("Your volunteer group is added to your profile; staff may verify it."),
    )

    def __init__(self, *args, registered: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if registered:
            del self.fields["volunteer"]

    def place_domain_error(self, error) -> None:
        if error.field in ("volunteer", "tag") and "volunteer" not in self.fields:
            self.add_error(None, str(error.message))
            return
        super().place_domain_error(error)


class SwapForm(_PlacedErrors, forms.Form):
    FIELD_OF = {"shift": None, "status": None}

    to_person = forms.ChoiceField(
        label=_("Hand my place to"),
        help_text=_("They are asked first; the place is theirs once they accept."),
    )

    def __init__(self, *args, members: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_person"].choices = [("", _("Choose a member")), *members]


def _date_field(label) -> forms.DateField:
    return day_field(label, required=True, error_messages={"required": _("Give the date.")})


class CertificateForm(_PlacedErrors, forms.Form):
    FIELD_OF = {"serial": None}

    team = forms.ChoiceField(label=_("Team"))
    period_start = _date_field(_("First day"))
    period_end = _date_field(_("Last day"))

    def __init__(self, *args, teams: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.public_id): t for t in teams}
        choices = [(key, loc(team)) for key, team in self.teams.items()]
        if len(choices) != 1:
            choices = [("", _("Choose a team")), *choices]
        self.fields["team"].choices = choices

    def clean_team(self):
        return self.teams[self.cleaned_data["team"]]


class CorrectionForm(_PlacedErrors, forms.Form):
    """The right time of a ledger line, as hours and minutes, and what is wrong."""

    FIELD_OF = {"minutes": "hours", "entry": None, "status": None}

    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        min_value=0,
        max_value=MAX_HOURS,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    minutes = forms.IntegerField(
        label=_("Minutes"),
        required=False,
        min_value=0,
        max_value=MAX_HOURS * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    message = forms.CharField(
        label=pgettext_lazy("a ledger line", "What is wrong"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what is wrong with this line.")},
    )

    def clean(self):
        data = super().clean()
        hours, minutes = data.get("hours"), data.get("minutes")
        if "hours" in self.errors or "minutes" in self.errors:
            return data
        if hours is None and minutes is None:
            self.add_error("hours", _("Give the right time, in hours or minutes (0 if none)."))
            return data
        total = (hours or Decimal(0)) * 60 + (minutes or 0)
        data["total_minutes"] = int(total)
        return data
