import pytest

from dangqun.workdays import selectors


@pytest.fixture(autouse=True)
def _fresh_calendar():
    # A rolled-back test leaves no rows behind, but this process's cache would keep them.
    selectors.forget()
    yield
    selectors.forget()
