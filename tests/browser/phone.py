"""What the browser tests share to look at a page as on a phone: the 390 px viewport, a
staff member signed in with a password, no sideways scrolling, a full-page screenshot."""

from pathlib import Path

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}


def signed_in(new_context, mobile: str, password: str, locale: str = "en-US"):
    """A new phone-sized page, signed in by password (the sign-out button proves it)."""
    page = new_context(locale=locale, **PHONE).new_page()
    page.goto("/accounts/sign-in/password/")
    page.locator("#id_mobile").fill(mobile)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit], main form button").last.click()
    expect(page.locator("form[action$='/accounts/sign-out/'] button")).to_be_attached()
    return page


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def shot(folder: Path, page, name: str) -> None:
    folder.mkdir(exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)
