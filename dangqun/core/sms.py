"""Short messages through a pluggable sender (settings.SMS_SENDER, a dotted path).

The default writes each message to the log, so a development machine and the tests can
read the code; a real provider is a class with the same send() method."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string

log = logging.getLogger("dangqun.sms")


class ConsoleSender:
    def send(self, mobile: str, text: str) -> None:
        log.info("SMS to %s: %s", mobile, text)


def sender():
    return import_string(settings.SMS_SENDER)()


def send(mobile: str, text: str) -> None:
    sender().send(mobile, str(text))


def tell(person, message, *, suffix: str = "", **values) -> None:
    """A short message to a person in their own language (their saved choice, whoever
    acts), sent once the current transaction commits, so nothing is said of a change that
    did not happen."""
    with translation.override(person.language or settings.LANGUAGE_CODE):
        text = str(message) % values + suffix
    mobile = person.mobile
    transaction.on_commit(lambda: send(mobile, text))
