"""The charging room's own refusals, each with its code and HTTP status."""

from django.utils.translation import gettext_lazy as _

from dangqun.core.errors import DomainError


class BadSignature(DomainError):
    status = 401
    code = "bad_signature"

    def __init__(self, message=None):
        super().__init__(message or _("The report's signature is not valid."), field="signature")


class StaleReport(DomainError):
    status = 401
    code = "stale"

    def __init__(self):
        super().__init__(
            _("The report's timestamp is missing or too far from the server's time."),
            field="timestamp",
        )


class ReplayedReport(DomainError):
    status = 409
    code = "replayed"

    def __init__(self):
        super().__init__(_("This report has been received already."), field="signature")


class SlotTaken(DomainError):
    status = 409
    code = "slot_taken"

    def __init__(self, message=None):
        super().__init__(message or _("Someone else holds this slot."), field="slot")


class AlreadyHolding(DomainError):
    status = 409
    code = "already_holding"

    def __init__(self):
        super().__init__(_("You already hold a slot. Cancel that reservation first."), field="slot")
