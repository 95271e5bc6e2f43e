"""Date and time inputs are rendered with ISO values in every language, and the language's
own way of writing a date is still accepted."""

from datetime import date, datetime, time

import pytest
from django import forms
from django.utils import translation


class Form(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    moment = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_inputs_carry_iso_values(language):
    initial = {"day": date(1985, 3, 10), "at": time(9, 30), "moment": datetime(2026, 5, 1, 14, 0)}
    with translation.override(language):
        html = str(Form(initial=initial))
    assert 'value="1985-03-10"' in html
    assert 'value="09:30"' in html
    assert 'value="2026-05-01T14:00"' in html


def test_chinese_dates_are_still_accepted():
    with translation.override("zh-hans"):
        form = Form(data={"day": "1985/03/10", "at": "09:30", "moment": "2026-05-01T14:00"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(1985, 3, 10)


@pytest.mark.django_db
def test_the_profile_page_shows_the_birth_date_as_iso_in_chinese(client):
    from tests import factories

    person = factories.PersonFactory(birth_date=date(1985, 3, 10))
    client.force_login(person, backend="dangqun.accounts.backends.PersonBackend")
    page = client.get("/accounts/me/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'value="1985-03-10"' in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_ids_print_plainly_in_every_language(language):
    # An id in a link or an <option value> must read back as the same number.
    from django.template import engines

    template = engines["django"].from_string('<option value="{{ pk }}">')
    with translation.override(language):
        assert template.render({"pk": 1778}) == '<option value="1778">'
