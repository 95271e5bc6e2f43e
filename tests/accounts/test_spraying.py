"""Password spraying: many accounts tried from one address is stopped at the address."""

from dangqun.accounts.models import PasswordFailure
from tests import factories
from tests.clients import page_client


def test_one_address_trying_many_accounts_is_stopped(db):
    client = page_client()
    victim = factories.PersonFactory()
    victim.set_password("right-password-123")
    victim.save()
    for n in range(20):
        client.post(
            "/accounts/sign-in/password/",
            {"mobile": f"1370000{n:04d}", "password": "guess"},
            REMOTE_ADDR="10.9.9.9",
        )
    assert PasswordFailure.objects.filter(ip="10.9.9.9").count() == 20
    blocked = client.post(
        "/accounts/sign-in/password/",
        {"mobile": victim.mobile, "password": "right-password-123"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert "_auth_user_id" not in client.session
    assert "Too many wrong passwords from this network" in blocked.content.decode()
    other = client.post(
        "/accounts/sign-in/password/",
        {"mobile": victim.mobile, "password": "right-password-123"},
        REMOTE_ADDR="10.1.1.1",
    )
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_forwarded_for_is_trusted_only_behind_a_proxy(rf, settings):
    from dangqun.accounts.views import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.2.2.2")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "10.2.2.2"
