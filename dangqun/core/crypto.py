"""Encryption of personal identifiers at rest (resident ID numbers), and a keyed hash
so a number can be found without decrypting every row."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet
from django.conf import settings


def _key_material() -> bytes:
    return (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"dangqun-field-encryption:" + _key_material()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def blind_index(text: str) -> str:
    """A keyed hash: equal inputs give equal outputs, but it cannot be reversed."""
    key = hashlib.sha256(b"dangqun-blind-index:" + _key_material()).digest()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
