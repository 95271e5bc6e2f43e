"""The API's parser (core/input.py), called directly: what it refuses and how it names it."""

import pytest

from dangqun.core.errors import ValidationFailed
from dangqun.core.input import (
    INT64_MAX,
    INT64_MIN,
    BodyRefused,
    check_query_string,
    check_value,
    parse_json_body,
)


def refused_field(call, *args):
    with pytest.raises(ValidationFailed) as caught:
        call(*args)
    return caught.value.field


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"name": "a\x00"}, "name"),
        ({"fields": [{"label": "ok"}, {"label": "\x07"}]}, "fields.1.label"),
        ({"a": {"b": {"c": ["x", "\ud800"]}}}, "a.b.c.1"),
        ({"n": INT64_MAX + 1}, "n"),
        ({"n": [1, INT64_MIN - 1]}, "n.1"),
        ({"n": float("inf")}, "n"),
        ({"n": 1e19}, "n"),
        ({"x\x01y": 1}, "x\ufffdy"),
    ],
)
def test_the_walk_names_the_field(value, field):
    assert refused_field(check_value, value) == field


@pytest.mark.parametrize(
    "value",
    [
        {"text": "tab\tnew\nline\r\n", "emoji": "😀", "cjk": "党群服务中心"},
        {"n": INT64_MAX, "m": INT64_MIN, "f": 1.5e18, "b": True, "none": None},
        {"deep": [[[[[[[[[[[["x"]]]]]]]]]]]]},
    ],
)
def test_what_can_be_stored_passes(value):
    check_value(value)


def test_a_deep_body_is_walked_without_recursion():
    value = "ok"
    for _ in range(50_000):
        value = [value]
    check_value({"deep": value})


@pytest.mark.parametrize(
    "raw", [b"{", b"", b"NaN", b'{"a": Infinity}', b"\xed\xa0\x80", b"[" * 10**6]
)
def test_malformed_bodies(raw):
    with pytest.raises(BodyRefused) as caught:
        parse_json_body(raw)
    assert caught.value.field == "body"


def test_a_form_body_is_told_to_send_json():
    with pytest.raises(BodyRefused) as caught:
        parse_json_body(b"mobile=1", form=True)
    assert caught.value.code == "unsupported_content_type"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("a=%00", "a"),
        ("a=ok&b=%1B", "b"),
        ("name=%ED%A0%80", "name"),
        ("%ED%A0%80=1", "\ufffd\ufffd\ufffd"),
        ("id=96061502568014839808", "id"),
        ("id=-9223372036854775809", "id"),
        ("id=+00000000000000000009223372036854775808", "id"),
        ("id=" + "9" * 5000, "id"),
    ],
)
def test_query_strings_refused(raw, field):
    assert refused_field(check_query_string, raw) == field


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "a=1&&b=",
        "q=%E5%85%9A%E7%BE%A4",
        "q=a+b%09c",
        "id=9223372036854775807",
        "id=-9223372036854775808",
        "card=6222021234567890123",  # 19 digits that fit
        "id=" + "0" * 40 + "1",
        "q=12345678901234567890abc",  # not a number
    ],
)
def test_query_strings_kept(raw):
    check_query_string(raw)
