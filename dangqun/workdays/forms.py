from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .errors import LinesRefused


class YearForm(forms.Form):
    lines = forms.CharField(
        label=_("Holidays and make-up working days"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "mono"}),
        help_text=_(
            "One day a line: the date, holiday (or 休) or workday (or 班), and a name, e.g. "
            "“2027-10-01 holiday 国庆节” or “2027-09-26 班 国庆节调休”. Saving replaces the days "
            "entered for this year; nothing is saved while any line is wrong."
        ),
    )
    complete = forms.BooleanField(
        label=_("This is the year's complete official arrangement"),
        required=False,
        help_text=_("Then deadlines in this year are no longer marked estimated."),
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_lines(self):
        """Each wrong line beside the field, by the service's own reading of the lines."""
        lines = self.cleaned_data["lines"]
        try:
            services.parse_lines(lines, year=self.year)
        except LinesRefused as refused:
            raise forms.ValidationError(refused.problems) from None
        return lines


class YearPickForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
