"""The site-wide parts of the elder-friendly pass that need no browser: the 24-hour time
and date-and-time fields, the error markup that takes focus, the "Me" page of the phone's
tab bar, gzip."""

import gzip
from datetime import datetime, time

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dangqun.bookings.forms import BookingForm
from dangqun.core.forms import DateAndTimeField, TimeOfDayField
from tests import factories


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("10:00", time(10, 0)),
        ("1000", time(10, 0)),
        ("10.00", time(10, 0)),
        ("10：00", time(10, 0)),
        ("9:30", time(9, 30)),
        ("930", time(9, 30)),
        ("0930", time(9, 30)),
        (" 14:05 ", time(14, 5)),
        ("8", time(8, 0)),
        ("10点", time(10, 0)),
        ("10点30", time(10, 30)),
        ("23:59", time(23, 59)),
        ("24:00", time(0, 0)),
    ],
)
def test_a_time_typed_in_any_usual_way(typed, meant):
    assert TimeOfDayField().clean(typed) == meant


@pytest.mark.parametrize(
    "typed",
    [
        "25:00",
        "10:60",
        "2400x",
        "abc",
        "1:2",
        "10:00 PM",
        "1" * 30,
        "\x00",
        "\ud800",
        "9" * 3_000_000,
    ],
)
def test_a_time_that_is_not_one_is_refused_in_both_languages(typed):
    for language, words in (("zh-hans", "24小时制"), ("en", "24-hour clock")):
        with translation.override(language):
            with pytest.raises(forms.ValidationError) as refused:
                TimeOfDayField().clean(typed)
            assert words in refused.value.messages[0]


def test_the_time_field_is_text_with_a_number_pad_in_both_languages():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = str(BookingForm(initial={"start_time": time(9, 0)})["start_time"])
        assert 'type="text"' in html and 'type="time"' not in html
        assert 'inputmode="numeric"' in html and 'placeholder="HH:MM"' in html
        assert 'value="09:00"' in html


def test_a_refused_time_comes_back_as_understood():
    form = BookingForm(data={"start_time": "0930", "end_time": "25:00"})
    assert not form.is_valid()
    assert 'value="09:30"' in str(form["start_time"])
    assert 'value="25:00"' in str(form["end_time"])


def test_a_field_in_error_points_at_its_one_message(db):
    form = BookingForm(data={"start_time": "x"})
    form.is_valid()
    form.add_error("start_time", "second problem")
    html = render_to_string("includes/field.html", {"field": form["start_time"]})
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_start_time_error"' in html
    assert html.count('id="id_start_time_error"') == 1
    assert "second problem" in html


def test_base_moves_focus_to_the_first_field_in_error(client, db):
    html = client.get("/").content.decode()
    assert "querySelector('main [aria-invalid=\"true\"]')" in html


def test_the_me_page_has_every_destination(client, db):
    page = client.get("/menu/").content.decode()
    for url in ("/centers/", "/activities/", "/bookings/search/", "/intake/", "/riders/"):
        assert f'href="{url}"' in page
    # No next: a resident goes on as after any sign-in, staff land on the back office.
    assert 'href="/accounts/sign-in/"' in page
    assert "/accounts/sign-out/" not in page


def test_the_me_page_signed_in_has_mine_and_sign_out(as_person, db):
    client = as_person(factories.PersonFactory())
    page = client.get("/menu/").content.decode()
    for url in ("/accounts/me/", "/bookings/", "/activities/mine/", "/intake/mine/"):
        assert f'href="{url}"' in page
    assert 'action="/accounts/sign-out/"' in page
    assert "/staff/" not in page


def test_the_tab_bar_marks_the_page_you_are_on(client, db):
    page = client.get("/activities/").content.decode()
    assert '<a class="tab" href="/activities/" aria-current="page">' in page
    assert '<a class="tab" href="/" aria-current' not in page


def test_a_center_s_page_is_under_home_in_the_tab_bar(client, district):
    page = client.get(f"/centers/{district.xianlin_center.slug}/").content.decode()
    assert '<a class="tab" href="/" aria-current="page">' in page
    assert '<a class="tab phone" href="/menu/" aria-current' not in page


def test_pages_are_sent_gzipped_to_browsers_that_take_it(client, district):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "闲林街道党群服务中心" in html
    assert len(response.content) < len(html.encode())
    plain = client.get("/")
    assert not plain.has_header("Content-Encoding")


class MomentForm(forms.Form):
    at = DateAndTimeField(label="At")


@pytest.mark.parametrize(
    "posted",
    [
        {"at_0": "2030-05-01", "at_1": "0930"},
        {"at_0": "2030-05-01", "at_1": "9:30"},
        {"at": "2030-05-01T09:30"},
        {"at": "2030-05-01 09:30"},
    ],
)
def test_a_moment_as_a_date_and_a_24_hour_time(posted, settings):
    form = MomentForm(data=posted)
    assert form.is_valid(), form.errors
    moment = form.cleaned_data["at"]
    assert timezone.localtime(moment).replace(tzinfo=None) == datetime(2030, 5, 1, 9, 30)
    assert moment.utcoffset() is not None


@pytest.mark.parametrize(
    "posted",
    [
        {"at_0": "2030-05-01", "at_1": ""},
        {"at_0": "", "at_1": "09:30"},
        {"at_0": "2030-13-01", "at_1": "09:30"},
        {"at_0": "9999-12-31", "at_1": "25:00"},
        {"at": "soon"},
        {"at": "\x00\ud800"},
        {"at_0": "1" * 30, "at_1": "1" * 30},
    ],
)
def test_a_moment_that_is_not_one_is_refused_beside_the_field(posted):
    form = MomentForm(data=posted)
    assert not form.is_valid()
    assert form.errors["at"]


def test_the_moment_renders_as_a_date_picker_and_a_time_field():
    from zoneinfo import ZoneInfo

    moment = datetime(2030, 5, 1, 1, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Shanghai
    html = str(MomentForm(initial={"at": moment})["at"])
    assert 'type="date"' in html and 'value="2030-05-01"' in html
    assert 'value="09:30"' in html and 'inputmode="numeric"' in html
    assert "datetime-local" not in html
    assert 'id="id_at_0"' in html and 'id="id_at_1"' in html
    assert MomentForm()["at"].id_for_label == "id_at_0"


def test_a_moment_in_error_is_described_by_its_message():
    form = MomentForm(data={"at_0": "2030-05-01", "at_1": "25:00"})
    form.is_valid()
    html = render_to_string("includes/field.html", {"field": form["at"]})
    assert '<label for="id_at_0">' in html
    assert html.count('aria-describedby="id_at_error"') == 2
    assert html.count('aria-invalid="true"') == 2
