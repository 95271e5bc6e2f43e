"""Forms of the service packages' back office: a package (its region when it is made, its
target groups, the things in it) and the figures' period. They check the shape of what
was typed; the services hold the rules and their refusals come back beside the field."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core.forms import day_field
from dangqun.core.templatetags.dq import loc
from dangqun.people.models import PersonTag

from .models import PackageEntry

ENTRY_FIELDS = {
    PackageEntry.Kind.ITEM: "items",
    PackageEntry.Kind.ACTIVITY_KIND: "activity_kinds",
    PackageEntry.Kind.SPACE: "spaces",
}


def _checkboxes(label, **kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
    )


class PackageForm(forms.Form):
    region = forms.ChoiceField(label=_("Run by"))
    name = forms.CharField(label=_("Package name"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea
    )
    target_groups = _checkboxes(_("Target groups"), choices=PersonTag.Tag.choices)
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=150)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=150)
    home_region = forms.ChoiceField(label=_("Only for residents of"), required=False)
    items = _checkboxes(_("Service items"))
    activity_kinds = _checkboxes(_("Activities of these kinds"))
    spaces = _checkboxes(_("Spaces"))

    def __init__(self, *args, regions, choices, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        listed = [(str(r.pk), loc(r)) for r in regions]
        self.regions = {str(r.pk): r for r in regions}
        self.fields["region"].choices = listed
        self.fields["home_region"].choices = [("", _("Anyone in the region")), *listed]
        self.fields["target_groups"].help_text = _(
            "People holding any of these groups; the age band and home region narrow it."
        )
        for kind, field in ENTRY_FIELDS.items():
            self.fields[field].choices = choices.get(kind, [])
        if editing:
            del self.fields["region"]

    def place_domain_error(self, error) -> None:
        """Beside the field named; an entry's error (`entries.<n>.…`) beside the list it
        was chosen in."""
        field = error.field or ""
        if field.startswith("entries."):
            n = field.split(".")[1]
            fields = getattr(self, "_entry_fields", [])
            field = fields[int(n)] if n.isdigit() and int(n) < len(fields) else None
        self.add_error(field if field in self.fields else None, str(error.message))

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        entries, self._entry_fields = [], []
        for kind, field in ENTRY_FIELDS.items():
            for reference in data[field]:
                entries.append((kind, reference))
                self._entry_fields.append(field)
        arguments = {
            "name": data["name"],
            "name_en": data["name_en"],
            "description": data["description"],
            "target_groups": list(data["target_groups"]),
            "min_age": data["min_age"],
            "max_age": data["max_age"],
            "home_region": self.regions.get(data["home_region"] or ""),
            "entries": entries,
        }
        if "region" in self.fields:
            arguments["region"] = self.regions[data["region"]]
        return arguments


def initial_of(package) -> dict:
    initial = {
        "name": package.name,
        "name_en": package.name_en,
        "description": package.description,
        "target_groups": package.target_groups,
        "min_age": package.min_age,
        "max_age": package.max_age,
        "home_region": str(package.home_region_id or ""),
    }
    for kind, field in ENTRY_FIELDS.items():
        initial[field] = [e.reference for e in package.entries.all() if e.kind == kind]
    return initial


class PeriodForm(forms.Form):
    """The figures' period: the last 30 days by default."""

    start = day_field(pgettext_lazy("period", "From"))
    end = day_field(pgettext_lazy("period", "To"))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        data["end"] = data.get("end") or today
        data["start"] = data.get("start") or data["end"] - timedelta(days=29)
        if data["end"] < data["start"]:
            self.add_error("end", _("The last day comes before the first."))
        return data
