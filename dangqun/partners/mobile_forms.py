"""Forms of the mobile party members' pages: the member's report-in, and the staff's
filters, status change, organisation, notice, service project, log entry and full look.
They check the shape of what was typed; the services in mobile.py hold the rules, and
their refusals come back beside the field they name."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core.forms import day_field
from dangqun.core.templatetags.dq import loc

from .models import MobileMember, TemporaryOrganisation


def date_field(label, *, required=True, help_text="") -> forms.DateField:
    return day_field(label, required=required, help_text=help_text)


def _choices(rows, *, blank=None) -> list:
    first = [("", blank)] if blank is not None else []
    return first + [(str(r.pk), loc(r) if hasattr(r, "name_en") else str(r)) for r in rows]


class ReportInForm(forms.Form):
    """What a mobile member gives at report-in: the least the organisation needs."""

    name = forms.CharField(label=_("Your name"), max_length=50)
    home_branch = forms.CharField(
        label=_("Home party branch"),
        max_length=120,
        help_text=_("The full name of the branch your membership is kept in."),
    )
    home_contact_name = forms.CharField(
        label=_("Contact person at the home branch"), max_length=50, required=False
    )
    home_contact_phone = forms.CharField(
        label=_("Their phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    employer = forms.CharField(label=_("Current employer"), max_length=120, required=False)
    work_place = forms.CharField(
        label=_("Where you work in the district"),
        max_length=200,
        required=False,
        help_text=_("A street and road are enough."),
    )
    region = forms.ChoiceField(label=_("Street or town you work in"), required=False)
    organisation = forms.ChoiceField(label=_("Temporary party organisation"), required=False)
    arrived_on = date_field(_("Arrived in the district on"))

    def __init__(self, *args, regions=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _choices(regions, blank=_("— choose —"))
        self.fields["organisation"].choices = _choices(
            organisations, blank=_("— none yet: the staff will place me —")
        )


class CounterReportInForm(ReportInForm):
    """Staff at a counter report a member in on their behalf (the person has an account)."""

    mobile = forms.CharField(
        label=_("The member's mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    field_order = ["mobile"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("The member's name")
        self.fields["region"].label = _("Street or town they work in")


class RegisterFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(MobileMember.Status.choices),
    )
    organisation = forms.ChoiceField(label=_("Temporary organisation"), required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("All"))] + [
            (str(o.public_id), o.name) for o in organisations
        ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MobileMember.Status.choices)
    on = date_field(_("Since"), required=False)


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why you need the full name and number"), max_length=200)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("organisation", "Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=TemporaryOrganisation.Kind.choices)
    region = forms.ChoiceField(label=_("Region"))
    center = forms.ChoiceField(label=_("Center"), required=False)

    def __init__(self, *args, regions=(), centers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _choices(regions, blank=_("— choose —"))
        self.fields["center"].choices = _choices(centers, blank=_("— none —"))


class NoticeForm(forms.Form):
    to = forms.ChoiceField(label=_("Send to"))
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, organisations=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = (
            [("", _("— choose —"))]
            + [(f"organisation:{o.pk}", o.name) for o in organisations]
            + [
                (f"region:{r.pk}", _("All members in %(region)s") % {"region": loc(r)})
                for r in regions
            ]
        )

    def place_domain_error(self, error) -> None:
        field = "to" if error.field in ("organisation", "region") else error.field
        self.add_error(field if field in self.fields else None, str(error.message))


class ProjectForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("project", "Name"), max_length=120)
    region = forms.ChoiceField(label=_("Region"))
    center = forms.ChoiceField(label=_("Center"), required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, regions=(), centers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _choices(regions, blank=_("— choose —"))
        self.fields["center"].choices = _choices(centers, blank=_("— none —"))


class ProjectMemberForm(forms.Form):
    member = forms.ChoiceField(label=_("Mobile party member"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("— choose —"))] + list(members)


class LogForm(forms.Form):
    """A line of a project's log, or an activity a member took part in."""

    member = forms.ChoiceField(label=_("Mobile party member"), required=False)
    activity_title = forms.CharField(label=_("Activity"), max_length=120, required=False)
    on = date_field(_("Date"))
    note = forms.CharField(label=_("What they did"), max_length=300, required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["member"]
        else:
            self.fields["member"].required = True
            self.fields["member"].choices = [("", _("— choose —"))] + list(members)
            del self.fields["activity_title"]
