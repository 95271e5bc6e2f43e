"""people.identity: mainland mobile numbers and resident ID numbers (GB 11643-1999)."""

from datetime import date

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from dangqun.core.errors import ValidationFailed
from dangqun.people import identity

# A published sample number (the national standard's example) and one ending in X.
SAMPLE = "11010519491231002X"


def english(message) -> str:
    with translation.override("en"):
        return str(message)


# --- mobile numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        ("13812341234", "13812341234"),
        (" 13812341234 ", "13812341234"),
        ("138 1234 1234", "13812341234"),
        ("138-1234-1234", "13812341234"),
        ("(138) 1234 1234", "13812341234"),
        ("+8613812341234", "13812341234"),
        ("+86 138 1234 1234", "13812341234"),
        ("008613812341234", "13812341234"),
        ("8613812341234", "13812341234"),
        ("19912341234", "19912341234"),
        ("１３８１２３４１２３４", "13812341234"),  # full-width, as Chinese input methods type
        ("＋８６ 13８12341234", "13812341234"),
        ("16612341234", "16612341234"),
    ],
)
def test_mobile_numbers_are_normalised(given_, expected):
    assert identity.normalize_mobile(given_) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "12812341234",  # 12x is not a mobile prefix
        "12012341234",
        "23812341234",  # nor 2x
        "10012341234",
        "1381234123",  # 10 digits
        "138123412345",  # 12 digits
        "12345",
        "",
        None,
        "1381234123a",
        "+1 13812341234",
        "86138123412",  # "86" dropped only from 13 digits; this is 11 digits of nonsense
        "+86 128 1234 1234",
        "138١٢٣٤١٢٣٤",  # Arabic-Indic digits are digits to Python, not to an SMS gateway
        "1381234123４5",
    ],
)
def test_wrong_mobile_numbers_are_refused(bad):
    with pytest.raises(ValidationFailed) as caught:
        identity.normalize_mobile(bad)
    assert caught.value.field == "mobile"
    assert "11 digits" in english(caught.value.message)


def test_the_error_names_the_field_asked_for():
    with pytest.raises(ValidationFailed) as caught:
        identity.normalize_mobile("123", field="contact_mobile")
    assert caught.value.field == "contact_mobile"


@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_mainland_mobile_is_accepted_with_or_without_country_code(second, rest):
    number = f"1{second}{rest}"
    assert identity.normalize_mobile(number) == number
    assert identity.normalize_mobile(f"+86 {number}") == number
    assert identity.normalize_mobile(f"86{number}") == number


@pytest.mark.parametrize(
    ("mobile", "masked"),
    [("13812341234", "138****1234"), ("", "****"), ("123", "****"), (None, "****")],
)
def test_mobile_masks(mobile, masked):
    assert identity.mask_mobile(mobile) == masked


# --- resident ID numbers -----------------------------------------------------------


def test_a_valid_number_with_x_check_digit():
    assert identity.id_check_digit(SAMPLE[:17]) == "X"
    assert identity.normalize_resident_id(SAMPLE) == SAMPLE


def test_lower_case_x_and_spaces_are_normalised():
    assert identity.normalize_resident_id(" 110105 19491231 002x ") == SAMPLE


def test_full_width_characters_are_the_same_number():
    # Otherwise the same person could register one number twice, once in each width.
    assert identity.normalize_resident_id("１１０１０５１９４９１２３１００２Ｘ") == SAMPLE


def test_other_unicode_digits_are_refused():
    with pytest.raises(ValidationFailed):
        identity.normalize_resident_id("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X")


@pytest.mark.parametrize("last", list("0123456789"))
def test_a_wrong_check_digit_is_refused(last):
    with pytest.raises(ValidationFailed) as caught:
        identity.normalize_resident_id(SAMPLE[:17] + last)
    assert caught.value.field == "resident_id"
    assert "check digit" in english(caught.value.message)


@pytest.mark.parametrize("born", ["19990230", "19990431", "20230229", "19991301", "19990000"])
def test_an_impossible_birth_date_is_refused(born):
    prefix = f"330110{born}123"
    number = prefix + identity.id_check_digit(prefix)  # a right check digit: the date is wrong
    with pytest.raises(ValidationFailed) as caught:
        identity.normalize_resident_id(number)
    assert "not a real date" in english(caught.value.message)


def test_a_birth_date_in_the_future_or_before_1900_is_refused():
    for born in (f"{date.today().year + 1}0101", "18991231"):
        prefix = f"330110{born}123"
        with pytest.raises(ValidationFailed):
            identity.normalize_resident_id(prefix + identity.id_check_digit(prefix))


def test_a_leap_day_is_a_real_date():
    prefix = "33011020000229123"
    number = prefix + identity.id_check_digit(prefix)
    assert identity.normalize_resident_id(number) == number
    assert identity.birth_date_from_id(number) == date(2000, 2, 29)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        None,
        SAMPLE[:17],  # 17 characters
        SAMPLE + "0",  # 19 characters
        "110105491231002",  # the old 15-digit numbers are not taken
        "X10105194912310021",  # X only at the end
        "11010519491231002Y",
        "11010519491231OO2X",  # letter O for zero
    ],
)
def test_wrong_lengths_and_characters_are_refused(bad):
    with pytest.raises(ValidationFailed) as caught:
        identity.normalize_resident_id(bad)
    assert "18 characters" in english(caught.value.message)


def test_the_birth_date_is_read_from_the_number():
    assert identity.birth_date_from_id(SAMPLE) == date(1949, 12, 31)
    assert identity.birth_date_from_id("330110199902301234") is None


def test_resident_id_masks():
    assert identity.mask_resident_id(SAMPLE) == "110105********002X"
    assert identity.mask_resident_id("") == ""


digits17 = st.text(alphabet="0123456789", min_size=17, max_size=17)


@given(digits17)
def test_the_computed_check_digit_satisfies_the_standard(prefix):
    # ISO 7064 MOD 11-2: the weighted sum of all 18 (X = 10) is 1 modulo 11.
    check = identity.id_check_digit(prefix)
    values = [int(d) for d in prefix] + [10 if check == "X" else int(check)]
    weights = [2 ** (17 - i) % 11 for i in range(18)]
    assert sum(v * w for v, w in zip(values, weights, strict=True)) % 11 == 1


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)
def test_every_prefix_with_its_check_digit_validates(born, region, serial):
    prefix = f"{region}{born:%Y%m%d}{serial}"
    number = prefix + identity.id_check_digit(prefix)
    assert identity.normalize_resident_id(number) == number
    assert identity.birth_date_from_id(number) == born


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
    st.sampled_from("0123456789X"),
)
def test_any_other_last_character_fails(born, region, serial, last):
    prefix = f"{region}{born:%Y%m%d}{serial}"
    if last == identity.id_check_digit(prefix):
        last = "X" if last != "X" else "0"
    with pytest.raises(ValidationFailed):
        identity.normalize_resident_id(prefix + last)
