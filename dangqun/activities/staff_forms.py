"""Forms of the back-office activity pages. They parse what was typed (dates, the session
lines, numbers); the rules (which values fit together, who may) are the services'."""

import re
from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core.forms import DateAndTimeField, LocalizedChoiceField
from dangqun.core.templatetags.dq import loc
from dangqun.partners.fields import partnership_fields
from dangqun.people.models import PersonTag

from .models import Activity
from .services.activity import COPY_DAYS

# One session a line: "2030-01-07 09:00-11:30" (an en dash, a tilde or "至" also separate).
SESSION_LINE = re.compile(
    r"^(\d{4}-\d{1,2}-\d{1,2})\s+(\d{1,2}:\d{2})\s*(?:-|–|—|~|～|至)\s*(\d{1,2}:\d{2})$"
)


class SpaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{loc(obj.center)} · {loc(obj)}"


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        depth = max(obj.path.count("/") - 2, 0)
        return f"{'　' * depth}{loc(obj)}"


def _local_datetime_field(label) -> DateAndTimeField:
    return DateAndTimeField(label=label)


def parse_sessions(text: str) -> list[tuple[datetime, datetime]]:
    """Session lines in Shanghai time -> (start, end) pairs; the error names the line."""
    sessions, zone = [], timezone.get_default_timezone()
    lines = [(n, line.strip()) for n, line in enumerate((text or "").splitlines(), 1)]
    for number, line in lines:
        if not line:
            continue
        found = SESSION_LINE.match(line)
        try:
            if not found:
                raise ValueError
            day = datetime.strptime(found.group(1), "%Y-%m-%d").date()
            start, end = (time.fromisoformat(t.zfill(5)) for t in found.groups()[1:])
        except ValueError:
            raise forms.ValidationError(
                _('Line %(n)d: "%(line)s" is not like 2030-01-07 09:00-11:30.'),
                params={"n": number, "line": line[:40]},
            ) from None
        if end <= start:
            raise forms.ValidationError(
                _("Line %(n)d: the session must end after it starts."), params={"n": number}
            )
        sessions.append(
            (
                timezone.make_aware(datetime.combine(day, start), zone),
                timezone.make_aware(datetime.combine(day, end), zone),
            )
        )
    if not sessions:
        raise forms.ValidationError(_("Give at least one session, one a line."))
    return sorted(sessions)


def sessions_text(activity: Activity) -> str:
    lines = []
    for session in activity.sessions.all():
        start, end = timezone.localtime(session.start), timezone.localtime(session.end)
        lines.append(f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}")
    return "\n".join(lines)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    center = LocalizedChoiceField(label=_("Organising center"), queryset=None, to_field_name="slug")
    venue = forms.ChoiceField(
        label=_("Where"),
        choices=Activity.Venue.choices,
        widget=forms.RadioSelect,
        initial=Activity.Venue.SPACE,
    )
    space = SpaceChoiceField(
        label=_("Space"),
        queryset=None,
        required=False,
        help_text=_("Publishing books the space for every session."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    latitude = forms.CharField(label=_("Latitude (WGS-84)"), max_length=20, required=False)
    longitude = forms.CharField(label=_("Longitude (WGS-84)"), max_length=20, required=False)
    online_url = forms.CharField(
        label=_("Online link"),
        max_length=200,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    sessions = forms.CharField(
        label=_("Sessions"),
        strip=False,  # the lines are counted as typed, so an error names the right one
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "2030-01-07 09:00-11:30\n2030-01-14 09:00-11:30"}
        ),
        help_text=_("One session a line, date and time in Beijing time: 2030-01-07 09:00-11:30."),
    )
    capacity = forms.IntegerField(label=pgettext_lazy("activity capacity", "Places"))
    registration_opens = _local_datetime_field(_("Sign-up opens"))
    registration_closes = _local_datetime_field(_("Sign-up closes"))
    eligible_tags = forms.MultipleChoiceField(
        label=_("Only for these groups"),
        required=False,
        choices=PersonTag.Tag.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: open to everyone."),
    )
    requires_verified_tag = forms.BooleanField(
        label=_("Verified members only"),
        required=False,
        help_text=_(
            "Party members, mobile party members and new-employment workers count only "
            "once staff have verified their group; a group they only declared does not."
        ),
    )
    min_age = forms.IntegerField(label=_("Minimum age"), required=False)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False)
    eligible_region = RegionChoiceField(
        label=_("Only for residents of"), queryset=None, required=False
    )
    walk_ins = forms.BooleanField(label=_("Walk-ins welcome"), required=False)
    promotion_confirm_hours = forms.IntegerField(
        label=_("Hours to confirm a place from the waiting list"),
        required=False,
        help_text=_("Empty: the first in line gets the place at once."),
    )
    reminder_minutes = forms.IntegerField(
        label=_("Reminder before each session (minutes)"), initial=24 * 60
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    cover = forms.FileField(
        label=_("Cover image (JPEG, PNG or WebP, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, centers, spaces, regions, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.fields["center"].queryset = centers
        if len(centers) == 1:  # the usual case: center staff run one center
            self.fields["center"].empty_label = None
        self.fields["space"].queryset = spaces
        self.fields["space"].empty_label = "—"
        self.fields["eligible_region"].queryset = regions
        self.fields["eligible_region"].empty_label = _("Anyone")
        kept = (activity.partner, activity.sub_brand) if activity is not None else (None, None)
        partnership_fields(self, [activity.center] if activity else centers, kept=kept)
        if activity is not None:
            # The organising center stays; published sessions stay (a copy changes them).
            del self.fields["center"]
            if activity.status != Activity.Status.DRAFT:
                del self.fields["sessions"]

    @classmethod
    def initial_from(cls, activity: Activity) -> dict:
        names = [name for name in cls.base_fields if name not in ("center", "sessions", "cover")]
        names += ["partner", "sub_brand"]
        initial = {name: getattr(activity, name) for name in names}
        initial["sessions"] = sessions_text(activity)
        return initial

    def clean_sessions(self):
        return parse_sessions(self.cleaned_data.get("sessions", ""))

    def service_data(self) -> dict:
        """What drafting.clean_activity takes: the fields, without center, sessions and cover."""
        skip = {"center", "sessions", "cover"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class CancelActivityForm(forms.Form):
    # Not required here: the service says why an empty reason is refused, beside the field.
    reason = forms.CharField(
        label=_("Reason (sent to everyone signed up)"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CopyForm(forms.Form):
    """Only shows the field: the bounds are the service's (COPY_DAYS), which the page and
    the API both ask."""

    days_later = forms.IntegerField(
        label=_("Days later"),
        min_value=COPY_DAYS[0],
        max_value=COPY_DAYS[1],
        initial=7,
        help_text=_("Every date of the copy moves by this many days."),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Short code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "code-input",
                "enterkeyhint": "go",
            }
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper().replace(" ", "")


class WalkInForm(forms.Form):
    session = forms.TypedChoiceField(label=_("Session"), coerce=int)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=pgettext_lazy("person", "Name"),
        max_length=50,
        required=False,
        help_text=_("Needed when the mobile number has no account yet."),
    )
    consent = forms.BooleanField(
        label=_("New account: the person has read the privacy notice and agrees to it"),
        required=False,
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [
            (s.pk, f"{timezone.localtime(s.start):%Y-%m-%d %H:%M}") for s in sessions
        ]


class ExhibitionDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    visitors = forms.IntegerField(label=_("Visitors counted"))
