"""The domain errors of one-stop intake (the base class and the common ones are in
core.errors): pages show them beside the field, the API answers them with their status."""

from django.utils.translation import gettext_lazy as _

from dangqun.core.errors import DomainError


class IllegalTransition(DomainError):
    """A workflow step the request's (or the follow-up's) status does not allow."""

    status = 409
    code = "illegal_transition"


class AlreadyRated(DomainError):
    status = 409
    code = "already_rated"

    def __init__(self):
        super().__init__(_("This request has been rated already."), field="score")
