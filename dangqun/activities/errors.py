"""The domain errors of activities: services raise them, pages show them beside the field,
the API answers them as {code, message, field}."""

from django.utils.translation import gettext as _

from dangqun.core.errors import DomainError


class NotEligible(DomainError):
    status = 403
    code = "not_eligible"


class AlreadyRegistered(DomainError):
    status = 409
    code = "already_registered"

    def __init__(self):
        super().__init__(_("You have signed up for this activity already."), field="activity")
