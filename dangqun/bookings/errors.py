"""The domain errors of space booking (the base class and the common ones are in
core.errors): pages show them beside the field, the API answers them with their status."""

from django.utils.translation import gettext as _

from dangqun.core.errors import DomainError


class AlreadyBooked(DomainError):
    status = 409
    code = "already_booked"

    def __init__(self, message=None, **kwargs):
        super().__init__(
            message or _("This time is already booked. Please choose another time."),
            field=kwargs.pop("field", "start"),
            **kwargs,
        )


class SeriesConflicts(DomainError):
    """Some weeks of a recurring booking cannot be booked; nothing was saved. It lists
    every week with what stops it (services.Occurrence)."""

    status = 409
    code = "series_conflicts"

    def __init__(self, occurrences: list):
        self.occurrences = occurrences
        bad = [o for o in occurrences if o.problem]
        super().__init__(
            _("%(n)d of the weeks cannot be booked; nothing was saved.") % {"n": len(bad)},
            field="start",
        )

    def as_dict(self) -> dict:
        return {
            **super().as_dict(),
            "conflicts": [
                {"start": o.start.isoformat(), "end": o.end.isoformat(), "problem": o.problem}
                for o in self.occurrences
                if o.problem
            ],
        }
