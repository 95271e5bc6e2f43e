from django import forms
from django.utils.translation import gettext_lazy as _

from dangqun.core.templatetags.dq import loc
from dangqun.places import selectors as places
from dangqun.places.models import ServiceCenter

from .models import Activity


class _LocalChoiceField(forms.ModelChoiceField):
    """A choice of regions or centers, named in the language shown (name_en in English)."""

    def label_from_instance(self, obj) -> str:
        return loc(obj)


class ActivityFilterForm(forms.Form):
    """The filters of the list of activities; a value that is not valid is left out."""

    street = _LocalChoiceField(
        label=_("Street"), required=False, empty_label=_("All streets"), queryset=None
    )
    center = _LocalChoiceField(
        label=_("Center"),
        required=False,
        empty_label=_("All centers"),
        queryset=None,
        to_field_name="slug",
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    date = forms.DateField(
        label=_("On the day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    for_me = forms.BooleanField(label=_("Only those I can join"), required=False)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = places.streets().order_by("path")
        self.fields["center"].queryset = ServiceCenter.objects.order_by("region__path", "name")
        self.fields["kind"].choices = [("", _("Any kind")), *Activity.Kind.choices]
        if not signed_in:
            del self.fields["for_me"]

    def filters(self) -> dict:
        """The valid filters, as the keyword arguments of selectors.activities_public."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "street": data.get("street"),
            "center": data.get("center"),
            "kind": data.get("kind") or None,
            "day": data.get("date"),
        }

    def only_for_me(self) -> bool:
        self.is_valid()
        return bool(self.cleaned_data.get("for_me"))
