"""Sign-in, profile and token pages over HTTP."""

import re
from datetime import date

import pytest
from django.test import Client

from dangqun.accounts.models import ApiToken, SignInCode
from dangqun.people.models import Person, PersonTag
from tests import factories
from tests.clients import page_client
from tests.pages import field_error

pytestmark = pytest.mark.django_db

MOBILE = "13812341234"
PASSWORD = "lin-xian-2024-staff"


@pytest.fixture
def client():
    """A client reading the pages in English (the wording the tests assert)."""
    return page_client()


@pytest.fixture
def send(client, sms_outbox, django_capture_on_commit_callbacks):
    """Ask for a code like the page does; the SMS goes out when the transaction commits."""

    def send(mobile=MOBILE, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/accounts/sign-in/", {"mobile": mobile, **data})

    return send


def signed_in_id(client):
    return client.session.get("_auth_user_id")


# --- SMS code -----------------------------------------------------------------------


def test_sign_in_page(client):
    response = client.get("/accounts/sign-in/")
    assert response.status_code == 200
    assert 'name="mobile"' in response.content.decode()


def test_full_sms_flow_creates_an_account_and_asks_for_a_name(client, send, sms_outbox):
    response = send(next="/centers/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/code/?next=%2Fcenters%2F"
    assert [m for m, _t in sms_outbox] == [MOBILE]

    page = client.get(response["Location"]).content.decode()
    assert "138****1234" in page
    assert MOBILE not in page
    assert 'name="next" value="/centers/"' in page

    code = factories.code_in(sms_outbox[0][1])
    response = client.post(
        "/accounts/sign-in/code/", {"code": code, "consent": "on", "next": "/centers/"}
    )
    assert response.status_code == 302
    # A new person has no name yet: the profile comes first, and `next` goes along.
    assert response["Location"] == "/accounts/me/?next=%2Fcenters%2F"
    person = Person.objects.get(mobile=MOBILE)
    assert person.privacy_consent_at is not None
    assert not person.has_usable_password()
    assert signed_in_id(client) == str(person.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Welcome! One more step" in page
    assert "to confirm your bookings and sign-ups" in page  # why the name is asked
    assert 'name="next" value="/centers/"' in page
    assert "Save and continue" in page

    # Saving the name continues to the page the person came from.
    response = client.post("/accounts/me/", profile_data(name="王小明", next="/centers/"))
    assert response.status_code == 302
    assert response["Location"] == "/centers/"
    person.refresh_from_db()
    assert person.name == "王小明"
    # Later visits to the profile are the ordinary profile page.
    page = client.get("/accounts/me/").content.decode()
    assert "Welcome! One more step" not in page
    assert "My profile" in page


def test_a_new_person_without_next_goes_to_the_profile_alone(client, send, sms_outbox):
    send()
    code = factories.code_in(sms_outbox[0][1])
    response = client.post("/accounts/sign-in/code/", {"code": code, "consent": "on"})
    assert response["Location"] == "/accounts/me/"
    response = client.post("/accounts/me/", profile_data(name="王小明"))
    assert response["Location"] == "/accounts/me/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_the_profile_step_ignores_an_off_site_next(client, send, sms_outbox, target):
    send()
    code = factories.code_in(sms_outbox[0][1])
    response = client.post("/accounts/sign-in/code/", {"code": code, "consent": "on"})
    page = client.get(f"/accounts/me/?next={target}").content.decode()
    assert f'name="next" value="{target}"' not in page
    assert "Save and continue" not in page
    response = client.post("/accounts/me/", profile_data(name="王小明", next=target))
    assert response["Location"] == "/accounts/me/"


@pytest.mark.parametrize(("target", "landing"), [(None, "/staff/"), ("/", "/staff/")])
def test_staff_land_on_the_back_office_without_an_explicit_next(
    client, send, sms_outbox, district, target, landing
):
    factories.staff("center_staff", district.xianlin, mobile=MOBILE, name="李员工")
    data = {"next": target} if target else {}
    send(**data)
    code = factories.code_in(sms_outbox[-1][1])
    response = client.post("/accounts/sign-in/code/", {"code": code, **data})
    assert response["Location"] == landing


def test_staff_with_an_explicit_next_go_there(client, send, sms_outbox, district):
    factories.staff("center_staff", district.xianlin, mobile=MOBILE, name="李员工")
    send(next="/centers/")
    code = factories.code_in(sms_outbox[-1][1])
    response = client.post("/accounts/sign-in/code/", {"code": code, "next": "/centers/"})
    assert response["Location"] == "/centers/"


def test_a_resident_without_next_goes_home(client, send, sms_outbox):
    factories.PersonFactory(mobile=MOBILE, name="张三")
    send()
    code = factories.code_in(sms_outbox[-1][1])
    response = client.post("/accounts/sign-in/code/", {"code": code})
    assert response["Location"] == "/"


def test_a_known_person_goes_to_next(client, send, sms_outbox):
    factories.PersonFactory(mobile=MOBILE, name="张三")
    send(next="/centers/")
    code = factories.code_in(sms_outbox[-1][1])
    # No consent needed for an existing account.
    response = client.post("/accounts/sign-in/code/", {"code": code, "next": "/centers/"})
    assert response.status_code == 302
    assert response["Location"] == "/centers/"
    assert signed_in_id(client) is not None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_an_off_site_next_is_ignored(client, send, sms_outbox, target):
    factories.PersonFactory(mobile=MOBILE, name="张三")
    response = send(next=target)
    assert "evil" not in response["Location"]
    code = factories.code_in(sms_outbox[-1][1])
    response = client.post("/accounts/sign-in/code/", {"code": code, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_number_with_spaces_and_country_code_is_the_same_account(client, send, sms_outbox):
    person = factories.PersonFactory(mobile=MOBILE, name="张三")
    send(mobile="+86 138 1234 1234")
    assert sms_outbox[-1][0] == MOBILE
    code = factories.code_in(sms_outbox[-1][1])
    client.post("/accounts/sign-in/code/", {"code": code})
    assert signed_in_id(client) == str(person.pk)


def test_a_new_number_without_consent_creates_nobody(client, send, sms_outbox):
    send()
    code = factories.code_in(sms_outbox[-1][1])
    response = client.post("/accounts/sign-in/code/", {"code": code})
    assert response.status_code == 200
    page = response.content.decode()
    assert "accept the privacy notice" in field_error(page, "consent")
    assert field_error(page, "code") == ""
    assert not Person.objects.filter(mobile=MOBILE).exists()
    assert signed_in_id(client) is None
    # The same code still works once consent is given.
    response = client.post("/accounts/sign-in/code/", {"code": code, "consent": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(mobile=MOBILE).exists()


def test_a_wrong_code_shows_an_error_beside_the_code(client, send, sms_outbox):
    send()
    code = factories.code_in(sms_outbox[-1][1])
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post("/accounts/sign-in/code/", {"code": wrong, "consent": "on"})
    assert response.status_code == 200
    assert "The code is not right" in field_error(response.content.decode(), "code")
    assert signed_in_id(client) is None
    assert not Person.objects.filter(mobile=MOBILE).exists()


@pytest.mark.parametrize("code", ["12345", "abcdef", "", "1234567"])
def test_a_malformed_code_is_a_form_error(client, send, code):
    send()
    response = client.post("/accounts/sign-in/code/", {"code": code, "consent": "on"})
    assert response.status_code == 200
    assert field_error(response.content.decode(), "code")
    assert signed_in_id(client) is None


def test_the_sixth_try_is_blocked_even_with_the_right_code(client, send, sms_outbox):
    send()
    code = factories.code_in(sms_outbox[-1][1])
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _try in range(5):
        page = client.post("/accounts/sign-in/code/", {"code": wrong, "consent": "on"})
        assert "not right" in field_error(page.content.decode(), "code")
    response = client.post("/accounts/sign-in/code/", {"code": code, "consent": "on"})
    assert response.status_code == 200
    assert "tried too often" in field_error(response.content.decode(), "code")
    assert signed_in_id(client) is None
    assert SignInCode.objects.get(mobile=MOBILE).tries == 5


def test_a_used_code_does_not_work_twice(client, send, sms_outbox):
    factories.PersonFactory(mobile=MOBILE, name="张三")
    send()
    code = factories.code_in(sms_outbox[-1][1])
    assert client.post("/accounts/sign-in/code/", {"code": code}).status_code == 302
    client.post("/accounts/sign-out/")
    # A second attempt needs the mobile again: the page sends back to step 1.
    response = client.post("/accounts/sign-in/code/", {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/"


def test_resending_within_a_minute_is_refused_beside_the_mobile(client, send, sms_outbox):
    assert send().status_code == 302
    response = send()
    assert response.status_code == 200
    assert "wait a minute" in field_error(response.content.decode(), "mobile")
    assert len(sms_outbox) == 1
    assert SignInCode.objects.filter(mobile=MOBILE).count() == 1


@pytest.mark.parametrize("mobile", ["12345", "23800000000", "12812345678", "138123412345", ""])
def test_an_invalid_mobile_is_refused_beside_the_field(client, send, sms_outbox, mobile):
    response = send(mobile=mobile)
    assert response.status_code == 200
    assert field_error(response.content.decode(), "mobile")
    assert sms_outbox == []
    assert SignInCode.objects.count() == 0


def test_the_code_page_without_a_mobile_goes_back_to_step_one(client):
    response = client.get("/accounts/sign-in/code/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/"


def test_a_switched_off_account_cannot_sign_in(client, send, sms_outbox):
    factories.PersonFactory(mobile=MOBILE, name="张三", is_active=False)
    send()
    code = factories.code_in(sms_outbox[-1][1])
    response = client.post("/accounts/sign-in/code/", {"code": code})
    assert response.status_code == 200
    assert "switched off" in response.content.decode()
    assert signed_in_id(client) is None


# --- password ----------------------------------------------------------------------


@pytest.fixture
def staff_member(district):
    person = factories.staff("street_admin", district.xianlin, mobile=MOBILE, name="李管理")
    person.set_password(PASSWORD)
    person.save()
    return person


def password_sign_in(client, password, next_url="/staff/"):
    return client.post(
        "/accounts/sign-in/password/", {"mobile": MOBILE, "password": password, "next": next_url}
    )


def test_staff_sign_in_with_a_password(client, staff_member):
    assert client.get("/accounts/sign-in/password/").status_code == 200
    response = password_sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert signed_in_id(client) == str(staff_member.pk)
    assert client.get("/staff/").status_code == 200


def test_password_sign_in_ignores_an_off_site_next(client, staff_member):
    # The address is ignored; without a next of its own staff land on the back office.
    response = password_sign_in(client, PASSWORD, next_url="https://evil.example/")
    assert response["Location"] == "/staff/"


def test_a_wrong_password_is_refused(client, staff_member):
    response = password_sign_in(client, "not-the-password")
    assert response.status_code == 200
    assert "password is wrong" in field_error(response.content.decode(), "password")
    assert signed_in_id(client) is None


def test_someone_without_a_password_cannot_use_the_password_form(client):
    factories.PersonFactory(mobile=MOBILE)
    response = password_sign_in(client, "")
    assert response.status_code == 200
    assert signed_in_id(client) is None
    response = password_sign_in(client, "anything-at-all")
    assert "password is wrong" in field_error(response.content.decode(), "password")


def test_five_wrong_passwords_lock_the_account(client, staff_member):
    for _try in range(5):
        page = password_sign_in(client, "not-the-password").content.decode()
        assert "password is wrong" in field_error(page, "password")
    response = password_sign_in(client, PASSWORD)
    assert response.status_code == 200
    assert "locked" in field_error(response.content.decode(), "password")
    assert signed_in_id(client) is None


def test_a_right_password_clears_earlier_failures(client, staff_member):
    for _try in range(4):
        password_sign_in(client, "not-the-password")
    assert password_sign_in(client, PASSWORD).status_code == 302
    client.post("/accounts/sign-out/")
    for _try in range(4):
        password_sign_in(client, "not-the-password")
    assert password_sign_in(client, PASSWORD).status_code == 302


def test_sign_out_is_post_only(client, as_person, person):
    as_person(person)
    assert client.get("/accounts/sign-out/").status_code == 405
    assert signed_in_id(client) == str(person.pk)
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_id(client) is None


# --- profile -----------------------------------------------------------------------


def test_profile_needs_sign_in(client):
    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/?next=/accounts/me/"


@pytest.fixture
def me(as_person, district):
    person = factories.PersonFactory(mobile=MOBILE, name="旧名字")
    as_person(person)
    return person


def profile_data(**changes):
    data = {
        "name": "王小明",
        "birth_date": "",
        "home_region": "",
        "resident_id": "",
        "home_branch": "",
        "trade": "",
        "platform": "",
    }
    data.update(changes)
    return data


def test_saving_the_profile(client, me, district):
    response = client.post(
        "/accounts/me/",
        profile_data(
            birth_date="1958-03-04",
            home_region=district.minfeng.pk,
            tags=["party_member", "elder"],
            home_branch="民丰村党支部",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
    me.refresh_from_db()
    assert me.name == "王小明"
    assert me.birth_date == date(1958, 3, 4)
    assert me.home_region == district.minfeng
    tags = {t.tag: t for t in me.tags.all()}
    assert set(tags) == {"party_member", "elder"}
    assert tags["party_member"].home_branch == "民丰村党支部"
    page = client.get("/accounts/me/").content.decode()
    assert "Your profile is saved." in page
    assert 'value="王小明"' in page
    checked = set(
        re.findall(r'<input type="checkbox" name="tags" value="(\w+)"[^>]* checked', page)
    )
    assert checked == {"party_member", "elder"}


def test_saving_the_profile_replaces_the_tags(client, me):
    factories.tag(me, "volunteer")
    factories.tag(me, "elder")
    response = client.post(
        "/accounts/me/",
        profile_data(tags=["new_employment"], trade="delivery", platform="美团"),
    )
    assert response.status_code == 302
    tags = list(me.tags.all())
    assert [(t.tag, t.trade, t.platform) for t in tags] == [("new_employment", "delivery", "美团")]


def test_a_resident_id_is_stored_masked_and_fills_the_birth_date(client, me):
    number = factories.resident_id("33011019800101123")
    response = client.post("/accounts/me/", profile_data(resident_id=number))
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.resident_id() == number
    assert me.resident_id_masked == "330110********" + number[-4:]
    assert me.birth_date == date(1980, 1, 1)
    assert number not in me.resident_id_encrypted


def test_a_wrong_check_digit_saves_nothing(client, me):
    number = factories.resident_id("33011019800101123")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    response = client.post(
        "/accounts/me/", profile_data(name="新名字", resident_id=wrong, tags=["elder"])
    )
    assert response.status_code == 200
    assert "check digit" in field_error(response.content.decode(), "resident_id")
    me.refresh_from_db()
    assert me.name == "旧名字"
    assert me.resident_id_encrypted == ""
    assert not me.tags.exists()


def test_a_birth_date_contradicting_the_id_is_refused(client, me):
    number = factories.resident_id("33011019800101123")
    response = client.post(
        "/accounts/me/", profile_data(resident_id=number, birth_date="1981-01-01")
    )
    assert response.status_code == 200
    assert "does not match" in field_error(response.content.decode(), "birth_date")
    me.refresh_from_db()
    assert me.resident_id_encrypted == "" and me.birth_date is None and me.name == "旧名字"


def test_a_resident_id_of_another_account_is_refused(client, me):
    number = factories.resident_id("33011019800101123")
    other = factories.PersonFactory()
    other.set_resident_id(number)
    other.save()
    response = client.post("/accounts/me/", profile_data(resident_id=number))
    assert response.status_code == 200
    assert "another account" in field_error(response.content.decode(), "resident_id")
    me.refresh_from_db()
    assert me.resident_id_encrypted == "" and me.name == "旧名字"


def test_new_employment_without_a_trade_is_refused_and_nothing_saved(client, me):
    response = client.post(
        "/accounts/me/", profile_data(name="新名字", tags=["new_employment"], trade="")
    )
    assert response.status_code == 200
    assert "Choose your trade" in field_error(response.content.decode(), "trade")
    me.refresh_from_db()
    assert me.name == "旧名字"
    assert not me.tags.exists()


def test_a_nameless_profile_is_refused(client, me):
    response = client.post("/accounts/me/", profile_data(name="  "))
    assert response.status_code == 200
    assert field_error(response.content.decode(), "name")
    me.refresh_from_db()
    assert me.name == "旧名字"


def test_the_profile_never_shows_the_full_mobile_or_id(client, me):
    number = factories.resident_id("33011019800101123")
    me.set_resident_id(number)
    me.save()
    page = client.get("/accounts/me/").content.decode()
    assert "138****1234" in page
    assert "330110********" + number[-4:] in page
    assert MOBILE not in page
    assert number not in page
    assert number[6:14] not in page  # not even the birth-date digits


def test_an_empty_resident_id_keeps_the_number_on_file(client, me):
    number = factories.resident_id("33011019800101123")
    me.set_resident_id(number)
    me.save()
    assert client.post("/accounts/me/", profile_data(name="王小明")).status_code == 302
    me.refresh_from_db()
    assert me.resident_id() == number
    assert me.name == "王小明"


# --- API tokens --------------------------------------------------------------------


def test_tokens_need_sign_in(client):
    response = client.get("/accounts/me/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_a_new_token_is_shown_once(client, me):
    response = client.post("/accounts/me/tokens/", {"name": "数据大屏"})
    assert response.status_code == 200
    page = response.content.decode()
    secret = re.search(r'<code class="secret">([^<]+)</code>', page).group(1)
    token = ApiToken.objects.get(person=me)
    assert token.name == "数据大屏"
    assert secret.startswith("dq_") and secret.startswith(token.prefix)
    assert secret != token.key_hash
    later = client.get("/accounts/me/tokens/").content.decode()
    assert "数据大屏" in later
    assert token.prefix in later
    assert secret not in later
    # The secret works as a bearer token on the API (from a client without the session).
    api = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    assert api.json()["public_id"] == str(me.public_id)


def test_a_token_needs_a_name(client, me):
    response = client.post("/accounts/me/tokens/", {"name": ""})
    assert response.status_code == 200
    assert field_error(response.content.decode(), "name")
    assert not ApiToken.objects.exists()


def test_revoking_a_token(client, me):
    page = client.post("/accounts/me/tokens/", {"name": "脚本"}).content.decode()
    secret = re.search(r'<code class="secret">([^<]+)</code>', page).group(1)
    token = ApiToken.objects.get(person=me)
    response = client.post(f"/accounts/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401
    page = client.get("/accounts/me/tokens/").content.decode()
    assert "脚本" not in page
    # Revoking twice is a 404: the token is gone from the list.
    assert client.post(f"/accounts/me/tokens/{token.pk}/revoke/").status_code == 404


def test_revoke_is_post_only(client, me):
    client.post("/accounts/me/tokens/", {"name": "脚本"})
    token = ApiToken.objects.get(person=me)
    assert client.get(f"/accounts/me/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_someone_elses_token_is_404(client, me):
    from dangqun.accounts.services import api_token_create

    other = factories.PersonFactory()
    token, _secret = api_token_create(person=other, name="别人的")
    response = client.post(f"/accounts/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "别人的" not in client.get("/accounts/me/tokens/").content.decode()


def test_the_privacy_notice_is_public(client):
    response = client.get("/accounts/privacy/")
    assert response.status_code == 200
    assert "Privacy notice" in response.content.decode()


def test_tag_choices_are_offered(client, me):
    page = client.get("/accounts/me/").content.decode()
    for value in PersonTag.Tag.values:
        assert f'value="{value}"' in page
