"""core.crypto: field encryption of personal identifiers and the blind index."""

import pytest
from cryptography.fernet import InvalidToken
from hypothesis import given
from hypothesis import strategies as st

from dangqun.core import crypto

NUMBER = "11010519491231002X"


def test_round_trip():
    assert crypto.decrypt(crypto.encrypt(NUMBER)) == NUMBER


@given(st.text())
def test_round_trip_of_any_text(text):
    assert crypto.decrypt(crypto.encrypt(text)) == text


def test_ciphertext_differs_each_time_and_hides_the_plaintext():
    tokens = {crypto.encrypt(NUMBER) for _i in range(5)}
    assert len(tokens) == 5
    for token in tokens:
        assert NUMBER not in token
        assert NUMBER[:6] not in token and NUMBER[-4:] not in token
        assert crypto.decrypt(token) == NUMBER


def test_a_tampered_ciphertext_is_refused():
    token = crypto.encrypt(NUMBER)
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(InvalidToken):
        crypto.decrypt(tampered)


def test_blind_index_is_stable_and_distinguishes():
    assert crypto.blind_index(NUMBER) == crypto.blind_index(NUMBER)
    assert crypto.blind_index(NUMBER) != crypto.blind_index(NUMBER[:-1] + "9")
    index = crypto.blind_index(NUMBER)
    assert len(index) == 64
    assert NUMBER not in index


def test_blind_index_is_keyed(settings):
    settings.FIELD_ENCRYPTION_KEY = ""
    settings.SECRET_KEY = "one-secret-key-for-this-test-only-0123456789abcdef"
    first = crypto.blind_index(NUMBER)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789ab"
    second = crypto.blind_index(NUMBER)
    assert first != second
    settings.SECRET_KEY = "one-secret-key-for-this-test-only-0123456789abcdef"
    assert crypto.blind_index(NUMBER) == first


def test_the_field_key_takes_precedence_over_the_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEY = "field-key-one"
    settings.SECRET_KEY = "secret-one-0123456789abcdef0123456789abcdef0123456789"
    index = crypto.blind_index(NUMBER)
    token = crypto.encrypt(NUMBER)
    settings.SECRET_KEY = "secret-two-0123456789abcdef0123456789abcdef0123456789"
    assert crypto.blind_index(NUMBER) == index
    assert crypto.decrypt(token) == NUMBER
    settings.FIELD_ENCRYPTION_KEY = "field-key-two"
    assert crypto.blind_index(NUMBER) != index


def test_another_key_cannot_decrypt(settings):
    settings.FIELD_ENCRYPTION_KEY = "field-key-one"
    token = crypto.encrypt(NUMBER)
    settings.FIELD_ENCRYPTION_KEY = "field-key-two"
    with pytest.raises(InvalidToken):
        crypto.decrypt(token)


def test_the_blind_index_is_not_a_plain_hash_of_the_number():
    import hashlib

    assert crypto.blind_index(NUMBER) != hashlib.sha256(NUMBER.encode()).hexdigest()
