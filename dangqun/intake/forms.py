"""Forms of intake pages. The request form is built from the item's extra fields; the
services check everything again (the API and Open311 come in without these forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core.choices import grouped_by_parent
from dangqun.core.errors import DomainError
from dangqun.core.forms import add_domain_error
from dangqun.partners.fields import partnership_fields

from .attachments import safe_name
from .models import ServiceField
from .services import location_regions

Datatype = ServiceField.Datatype
PREFIX = "v_"


def _field_for(spec: ServiceField) -> forms.Field:
    common = {"label": spec.label, "required": spec.required, "help_text": spec.help_text}
    if spec.datatype == Datatype.NUMBER:
        return forms.CharField(
            widget=forms.TextInput(attrs={"inputmode": "decimal"}), max_length=30, **common
        )
    if spec.datatype == Datatype.DATE:
        return forms.CharField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common
        )
    if spec.datatype == Datatype.CHOICE:
        choices = [("", "—")] + [(c["key"], c.get("name") or c["key"]) for c in spec.choices]
        return forms.ChoiceField(choices=choices, **common)
    if spec.datatype == Datatype.BOOL:
        return forms.ChoiceField(
            choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
            **common,
        )
    return forms.CharField(max_length=500, **common)


class RequestForm(forms.Form):
    description = forms.CharField(
        label=_("What do you need?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    region = forms.ChoiceField(label=_("Village or community"), required=False)
    lat = forms.CharField(label=_("Latitude (GPS)"), required=False, max_length=20)
    lng = forms.CharField(label=_("Longitude (GPS)"), required=False, max_length=20)

    # Drawn together in the location fieldset (intake/_location_fields.html), not one by one.
    LOCATION_FIELDS = ("address", "region", "lat", "lng")

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.specs = list(item.fields.all())
        extra = {PREFIX + spec.code: _field_for(spec) for spec in self.specs}
        # The item's own questions first, then the free text and the place.
        self.fields = {**extra, **self.fields}
        if item.location_required:
            # Any one is enough (the service checks): a point on the map or typed, a
            # village or community, or an address alone.
            self.fields["region"].choices = grouped_by_parent(location_regions())
        else:  # least data: no coordinates or village where the service does not need them
            del self.fields["lat"], self.fields["lng"], self.fields["region"]

    @property
    def needs_location(self) -> bool:
        return self.item.location_required

    def plain_fields(self):
        """The fields drawn one by one: all but the location's."""
        return [f for f in self if f.name not in self.LOCATION_FIELDS]

    @property
    def coordinates_open(self) -> bool:
        """The typed coordinates are shown when they hold a value or an error."""
        return any(
            self[name].errors or self[name].value()
            for name in ("lat", "lng")
            if name in self.fields
        )

    def values(self) -> dict:
        result = {}
        for spec in self.specs:
            value = self.cleaned_data.get(PREFIX + spec.code)
            if spec.datatype == Datatype.BOOL and value:
                value = value == "yes"
            result[spec.code] = value
        return result

    def submission(self) -> dict:
        """What request_submit takes from this form, online and at the counter alike."""
        return {
            "values": self.values(),
            "description": self.cleaned_data["description"],
            "lat": self.cleaned_data.get("lat") or None,
            "lng": self.cleaned_data.get("lng") or None,
            "address": self.cleaned_data["address"],
            "region": self.cleaned_data.get("region") or None,
            "attachments": self.files.getlist("attachments"),
        }

    def files_to_choose_again(self) -> list[str]:
        """The names of the files sent with a form that is shown again after an error: a
        browser cannot put them back into the file field, so the page names them beside it
        and asks for them again (nothing is kept on the server from a request not made)."""
        if not self.is_bound or not self.errors:
            return []
        chosen = [upload for upload in self.files.getlist("attachments") if upload]
        return [safe_name(getattr(upload, "name", "")) for upload in chosen[:10]]

    def add_error_from(self, error: DomainError) -> None:
        if error.field and PREFIX + error.field in self.fields:
            self.add_error(PREFIX + error.field, str(error.message))
        elif error.field == "attachments":
            self.add_error(None, str(error.message))
        elif error.field == "location":  # none of the three: said beside the address
            self.add_error("address", str(error.message))
        else:
            add_domain_error(self, error)


class CounterRegisterForm(forms.Form):
    """Someone with no account yet, registered at the counter by staff."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_("The person read the privacy notice on paper and agreed to it"),
        required=False,
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How was the service?"),
        coerce=int,
        choices=[
            (5, pgettext_lazy("rating", "5 · Very good")),
            (4, pgettext_lazy("rating", "4 · Good")),
            (3, pgettext_lazy("rating", "3 · Fair")),
            (2, pgettext_lazy("rating", "2 · Poor")),
            (1, pgettext_lazy("rating", "1 · Very poor")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StepForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the person reads it)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TransferForm(forms.Form):
    unit = forms.CharField(label=_("To the unit"), required=False, max_length=80)
    center = forms.ChoiceField(label=_("To the center"), required=False)
    note = forms.CharField(label=_("Note for the receiver"), required=False, max_length=1000)

    def __init__(self, *args, centers=(), **kwargs):
        # Its own ids: the step form on the same page has a note too.
        kwargs.setdefault("auto_id", "id_transfer_%s")
        super().__init__(*args, **kwargs)
        self.fields["center"].choices = [("", _("The same center"))] + [
            (c.slug, c.name) for c in centers
        ]


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("period", "From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


# --- the catalogue ----------------------------------------------------------------------------


class ItemForm(forms.Form):
    """A catalogue item; the owner and the code are asked when it is added only (Open311
    and the requests know it by its code)."""

    owner = forms.ChoiceField(label=_("Offered by"))
    code = forms.SlugField(
        label=pgettext_lazy("identifier", "Code"),
        required=False,
        max_length=60,
        help_text=_("Latin letters, digits and -; leave empty for one made up. It never changes."),
    )
    kind = forms.ChoiceField(label=_("Kind of service"))
    name = forms.CharField(label=pgettext_lazy("service item", "Name"), max_length=120)
    name_en = forms.CharField(label=_("English name"), required=False, max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unit = forms.CharField(
        label=_("Responsible unit"),
        max_length=80,
        help_text=_("The desk or office that handles it."),
    )
    staff_group = forms.CharField(label=_("Staff group"), required=False, max_length=80)
    materials = forms.CharField(
        label=_("Materials to bring"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    online = forms.BooleanField(label=_("Can be requested online"), required=False)
    counter = forms.BooleanField(label=_("Can be requested at the counter"), required=False)
    time_limit_days = forms.IntegerField(
        label=_("Promised time limit (working days)"),
        min_value=1,
        max_value=365,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    location_required = forms.BooleanField(label=_("A location is required"), required=False)

    def __init__(self, *args, owners=None, centers=(), kept=(None, None), **kwargs):
        """`centers`: those whose partners are offered (the item's, or the user's when
        adding); `kept`: the item's own partner and sub-brand."""
        from .models import Kind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *Kind.choices]
        partnership_fields(self, centers, kept=kept)
        if owners is None:  # changing an item: its owner and code stay
            del self.fields["owner"], self.fields["code"]
        else:
            self.fields["owner"].choices = [("", "—"), *owners]


class FieldRowForm(forms.Form):
    """One extra field a request for the item carries."""

    label = forms.CharField(label=_("Question"), max_length=120)
    datatype = forms.ChoiceField(label=_("Type"), choices=Datatype.choices, initial="text")
    required = forms.BooleanField(label=_("Required"), required=False)
    choices = forms.CharField(
        label=_("Options (for a choice)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line; “key = name” keeps a short key, e.g. in = 转入."),
    )
    help_text = forms.CharField(label=_("Help"), required=False, max_length=200)
    code = forms.CharField(
        label=pgettext_lazy("identifier", "Code"),
        required=False,
        max_length=40,
        help_text=_("Latin letters, digits, - and _; empty for one made up."),
    )
    order = forms.IntegerField(
        label=_("Order"),
        required=False,
        min_value=0,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("datatype") == Datatype.CHOICE and not (data.get("choices") or "").strip():
            self.add_error("choices", _("A choice field needs its options."))
        return data

    def options(self) -> list[dict]:
        options = []
        for line in (self.cleaned_data.get("choices") or "").splitlines():
            key, sep, name = line.partition("=")
            key, name = key.strip(), name.strip()
            if key:
                options.append({"key": key, "name": (name if sep else "") or key})
        return options


def options_text(choices) -> str:
    return "\n".join(
        c["key"] if c.get("name", c["key"]) == c["key"] else f"{c['key']} = {c['name']}"
        for c in choices or []
    )


FieldRowFormSet = forms.formset_factory(
    FieldRowForm, extra=3, can_delete=True, max_num=30, validate_max=True
)
