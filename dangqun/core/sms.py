"""Short messages through a pluggable sender (settings.SMS_SENDER, a dotted path).

The default writes each message to the log, so a development machine and the tests can
read the code; a real provider is a class with the same send() method."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string

log = logging.getLogger("dangqun.sms")


class ConsoleSender:
    def send(self, mobile: str, text: str) -> None:
        log.info("SMS to %s: %s", mobile, text)


class _Held:
    """Messages kept instead of sent, while `held()` is in force."""

    count = 0
    active = False


def sender():
    return import_string(settings.SMS_SENDER)()


def send(mobile: str, text: str) -> None:
    if _Held.active:
        _Held.count += 1
        return
    sender().send(mobile, str(text))


@contextmanager
def held():
    """Send nothing meanwhile and count what would have gone: the demo data's messages at
    start-up are said in one line, not one line each (the demo's people are invented)."""
    _Held.active, _Held.count = True, 0
    counted = [0]
    try:
        yield counted
    finally:
        counted[0] = _Held.count
        _Held.active = False


def tell(person, message, *, suffix: str = "", **values) -> None:
    """A short message to a person in their own language (their saved choice, whoever
    acts), sent once the current transaction commits, so nothing is said of a change that
    did not happen."""
    with translation.override(person.language or settings.LANGUAGE_CODE):
        text = str(message) % values + suffix
    mobile = person.mobile
    transaction.on_commit(lambda: send(mobile, text))
