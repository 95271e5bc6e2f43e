"""The riders' capability's own refusals, each with its code and HTTP status."""

from dangqun.core.errors import DomainError


class StationInUse(DomainError):
    """A station with records attached cannot be removed (take it out of service)."""

    status = 409
    code = "in_use"
