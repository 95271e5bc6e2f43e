"""The riders' form of the charging room: report a fault of one of the room's slots. The
text's rule is the service's; the form only picks the slot."""

from django import forms
from django.utils.translation import gettext_lazy as _


class FaultForm(forms.Form):
    slot = forms.ChoiceField(
        error_messages={"required": _("Choose the slot."), "invalid_choice": _("Choose the slot.")}
    )
    text = forms.CharField(required=False, strip=False)

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {str(slot.pk): slot for slot in slots}
        self.fields["slot"].choices = [(pk, pk) for pk in self.slots]

    def clean_slot(self):
        return self.slots[self.cleaned_data["slot"]]

    def first_error(self) -> str | None:
        return next((str(e) for errors in self.errors.values() for e in errors), None)
