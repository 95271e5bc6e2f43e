"""The working-day calendar's own refusals."""

from dangqun.core.errors import ValidationFailed


class LinesRefused(ValidationFailed):
    """Entered lines with mistakes: one message for each wrong line (the page shows each
    beside the field, the API all of them in one message)."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(str(p) for p in problems), field="lines")
        self.problems = problems
