"""Sign-in by SMS code, API tokens and one's own profile, over HTTP."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dangqun.accounts.models import ApiToken, SignInCode
from dangqun.accounts.services import api_token_create
from dangqun.people.models import Person, PersonTag, StaffRole
from tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1"
MOBILE = "13912345678"


@pytest.fixture
def send_code(client, sms_outbox, django_capture_on_commit_callbacks):
    """POST /auth/code and run what it leaves for after the commit (the SMS)."""

    def send(mobile=MOBILE, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"{API}/auth/code", {"mobile": mobile}, content_type="application/json", **headers
            )

    return send


def post_token(client, mobile=MOBILE, code="000000", consent=True, **extra):
    payload = {"mobile": mobile, "code": code, "consent": consent, **extra}
    return client.post(f"{API}/auth/token", payload, content_type="application/json")


def last_code(sms_outbox, mobile=MOBILE):
    texts = [text for to, text in sms_outbox if to == mobile]
    assert texts, sms_outbox
    return factories.code_in(texts[-1])


def age_codes(mobile=MOBILE, by=timedelta(minutes=2)):
    """Make every code of the number look older, as if time had passed."""
    for record in SignInCode.objects.filter(mobile=mobile):
        SignInCode.objects.filter(pk=record.pk).update(
            created_at=record.created_at - by, expires_at=record.expires_at - by
        )


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def patch_me(client, payload, **headers):
    return client.patch(f"{API}/me", payload, content_type="application/json", **headers)


# Asking for a code


def test_code_is_sent_by_sms_and_lasts_five_minutes(send_code, sms_outbox):
    response = send_code()
    assert response.status_code == 200, response.content
    assert response.json() == {"sent": True, "expires_in": 300}
    assert len(sms_outbox) == 1
    to, text = sms_outbox[0]
    assert to == MOBILE
    assert re.search(r"\d{6}", text)
    record = SignInCode.objects.get(mobile=MOBILE)
    lifetime = (record.expires_at - record.created_at).total_seconds()
    assert lifetime == pytest.approx(300, abs=1)


def test_code_request_accepts_a_number_with_country_prefix(send_code, sms_outbox):
    response = send_code("+86 139 1234 5678")
    assert response.status_code == 200
    assert sms_outbox[0][0] == MOBILE


@pytest.mark.parametrize("bad", ["12345678901", "1391234567", "139123456789", "phone", ""])
def test_invalid_mobile_is_400_on_the_mobile_field(send_code, sms_outbox, bad):
    response = send_code(bad)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "mobile"
    assert body["code"] == "invalid"
    assert body["message"].strip()
    assert sms_outbox == []
    assert not SignInCode.objects.exists()


def test_missing_mobile_is_422(client, db):
    response = client.post(f"{API}/auth/code", {}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "mobile"


def test_resend_within_a_minute_is_refused(send_code, sms_outbox):
    assert send_code().status_code == 200
    response = send_code()
    assert response.status_code == 429
    assert response.json()["field"] == "mobile"
    assert response.json()["code"] == "rate_limited"
    assert len(sms_outbox) == 1
    assert SignInCode.objects.filter(mobile=MOBILE).count() == 1

    age_codes(by=timedelta(seconds=61))
    assert send_code().status_code == 200
    assert len(sms_outbox) == 2


def test_another_number_is_not_held_up_by_the_resend_limit(send_code):
    assert send_code().status_code == 200
    assert send_code("13800001111").status_code == 200


def test_at_most_five_codes_per_number_per_hour(send_code, sms_outbox):
    for _i in range(5):
        assert send_code().status_code == 200
        age_codes(by=timedelta(minutes=2))
    response = send_code()
    assert response.status_code == 429
    assert response.json()["field"] == "mobile"
    assert len(sms_outbox) == 5

    # Once the first of them is an hour old, one more may go out.
    age_codes(by=timedelta(minutes=51))
    assert send_code().status_code == 200
    assert len(sms_outbox) == 6


# Exchanging the code for a token


def test_right_code_with_consent_gives_a_token_that_works(client, send_code, sms_outbox):
    send_code()
    code = last_code(sms_outbox)
    response = post_token(client, code=code, name="我的脚本")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "我的脚本"
    assert body["token"].startswith("dq_") and len(body["token"]) > 20

    person = Person.objects.get(mobile=MOBILE)
    assert person.privacy_consent_at is not None
    assert ApiToken.objects.get(person=person).key_hash != body["token"]
    assert SignInCode.objects.get(mobile=MOBILE).used_at is not None

    me = Client().get(f"{API}/me", **bearer(body["token"]))
    assert me.status_code == 200
    assert me.json()["public_id"] == str(person.public_id)


def test_a_code_works_only_once(client, send_code, sms_outbox):
    send_code()
    code = last_code(sms_outbox)
    assert post_token(client, code=code).status_code == 201
    response = post_token(client, code=code)
    assert response.status_code == 400
    assert response.json()["field"] == "code"
    assert ApiToken.objects.count() == 1


def test_existing_account_needs_no_consent(client, send_code, sms_outbox):
    person = factories.PersonFactory(mobile=MOBILE)
    send_code()
    response = post_token(client, code=last_code(sms_outbox), consent=False)
    assert response.status_code == 201
    assert ApiToken.objects.get().person == person
    assert Person.objects.count() == 1


def test_new_account_without_consent_is_refused_and_not_created(client, send_code, sms_outbox):
    send_code()
    code = last_code(sms_outbox)
    response = post_token(client, code=code, consent=False)
    assert response.status_code == 400
    assert response.json()["field"] == "consent"
    assert not Person.objects.filter(mobile=MOBILE).exists()
    assert not ApiToken.objects.exists()

    # The code was not spent: accepting the notice now completes the sign-in.
    assert post_token(client, code=code, consent=True).status_code == 201
    assert Person.objects.filter(mobile=MOBILE).exists()


def test_wrong_code_is_400_on_the_code_field(client, send_code, sms_outbox):
    send_code()
    response = post_token(client, code=wrong(last_code(sms_outbox)))
    assert response.status_code == 400
    assert response.json()["field"] == "code"
    assert response.json()["code"] == "code_wrong"
    assert not Person.objects.filter(mobile=MOBILE).exists()
    assert not ApiToken.objects.exists()


def test_after_five_wrong_tries_even_the_right_code_fails(client, send_code, sms_outbox):
    send_code()
    code = last_code(sms_outbox)
    for _i in range(5):
        assert post_token(client, code=wrong(code)).json()["code"] == "code_wrong"
    response = post_token(client, code=code)
    assert response.status_code == 400
    assert response.json()["field"] == "code"
    assert response.json()["code"] == "code_expired"
    assert not ApiToken.objects.exists()
    assert not Person.objects.filter(mobile=MOBILE).exists()


def test_four_wrong_tries_still_leave_the_right_code_usable(client, send_code, sms_outbox):
    send_code()
    code = last_code(sms_outbox)
    for _i in range(4):
        post_token(client, code=wrong(code))
    assert post_token(client, code=code).status_code == 201


def test_expired_code_fails(client, send_code, sms_outbox):
    send_code()
    code = last_code(sms_outbox)
    SignInCode.objects.filter(mobile=MOBILE).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = post_token(client, code=code)
    assert response.status_code == 400
    assert response.json()["code"] == "code_expired"
    assert not ApiToken.objects.exists()


def test_only_the_newest_code_counts(client, send_code, sms_outbox):
    send_code()
    first = last_code(sms_outbox)
    age_codes(by=timedelta(minutes=2))
    send_code()
    second = last_code(sms_outbox)
    if first == second:  # one chance in a million; nothing to tell apart then
        return
    assert post_token(client, code=first).json()["code"] == "code_wrong"
    assert post_token(client, code=second).status_code == 201


def test_code_for_another_number_does_not_sign_in(client, send_code, sms_outbox):
    send_code()
    response = post_token(client, mobile="13800002222", code=last_code(sms_outbox))
    assert response.status_code == 400
    assert response.json()["field"] == "code"


def test_the_database_never_holds_the_plain_code(send_code, sms_outbox):
    send_code()
    code = last_code(sms_outbox)
    record = SignInCode.objects.get(mobile=MOBILE)
    assert record.code_hash != code
    assert code not in record.code_hash
    assert len(record.code_hash) == 64


def test_token_is_stored_only_as_a_hash(client, send_code, sms_outbox):
    send_code()
    secret = post_token(client, code=last_code(sms_outbox)).json()["token"]
    token = ApiToken.objects.get()
    assert secret not in (token.key_hash, token.prefix)
    assert secret.startswith(token.prefix)


def test_bad_or_revoked_token_is_401(client, send_code, sms_outbox):
    send_code()
    secret = post_token(client, code=last_code(sms_outbox)).json()["token"]
    assert Client().get(f"{API}/me", **bearer(secret + "x")).status_code == 401
    ApiToken.objects.update(revoked_at=timezone.now())
    assert Client().get(f"{API}/me", **bearer(secret)).status_code == 401


# My own profile


def token_for(person) -> str:
    return api_token_create(person=person, name="test")[1]


@pytest.fixture
def me():
    return factories.PersonFactory(mobile="13812345678", name="王小明")


@pytest.fixture
def auth(me):
    return bearer(token_for(me))


def test_me_without_credentials_is_401(client, db):
    response = client.get(f"{API}/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert set(response.json()) >= {"code", "message", "field"}
    assert patch_me(client, {"name": "x"}).status_code == 401


def test_me_shows_the_mobile_masked_and_never_the_full_numbers(client, me, auth):
    number = factories.resident_id()
    me.set_resident_id(number)
    me.save()
    response = client.get(f"{API}/me", **auth)
    assert response.status_code == 200
    body = response.json()
    assert body["mobile_masked"] == "138****5678"
    assert body["name"] == "王小明"
    assert body["resident_id_masked"] == number[:6] + "*" * 8 + number[-4:]
    text = response.content.decode()
    assert me.mobile not in text
    assert number not in text
    assert number[6:14] not in text  # the birth date inside the number
    assert "resident_id_encrypted" not in body and "mobile" not in body


def test_me_lists_tags_and_staff_roles(client, me, auth, district):
    factories.tag(me, "new_employment", trade="delivery", platform="美团")
    StaffRole.objects.create(
        person=me, role="center_staff", region=district.xianlin, center=district.xianlin_center
    )
    body = client.get(f"{API}/me", **auth).json()
    assert body["tags"] == [
        {"tag": "new_employment", "home_branch": "", "trade": "delivery", "platform": "美团"}
    ]
    assert body["staff_roles"] == [
        {"role": "center_staff", "region_id": district.xianlin.pk, "center": "xianlin"}
    ]


def test_patch_me_stores_the_resident_id_encrypted_and_derives_the_birth_date(client, me, auth):
    number = factories.resident_id("33011019850615432")
    response = patch_me(client, {"name": "王晓明", "resident_id": number}, **auth)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "王晓明"
    assert body["birth_date"] == "1985-06-15"
    assert body["resident_id_masked"] == number[:6] + "********" + number[-4:]
    assert number not in response.content.decode()

    me.refresh_from_db()
    assert me.birth_date == date(1985, 6, 15)
    assert me.resident_id_encrypted and number not in me.resident_id_encrypted
    assert number[6:] not in me.resident_id_encrypted
    assert me.resident_id_masked == number[:6] + "*" * 8 + number[-4:]
    assert me.resident_id() == number


def test_patch_me_lowercase_x_is_accepted(client, me, auth, db):
    # Find a 17-digit prefix whose check character is X.
    prefix = next(
        p
        for p in (f"3301101980010112{i}" for i in range(10))
        if factories.resident_id(p).endswith("X")
    )
    number = factories.resident_id(prefix)
    response = patch_me(client, {"name": "王小明", "resident_id": number.lower()}, **auth)
    assert response.status_code == 200, response.content
    me.refresh_from_db()
    assert me.resident_id() == number


def test_patch_me_with_bad_check_digit_changes_nothing(client, me, auth):
    good = factories.resident_id()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = patch_me(client, {"name": "新名字", "resident_id": bad}, **auth)
    assert response.status_code == 400
    assert response.json()["field"] == "resident_id"
    me.refresh_from_db()
    assert me.name == "王小明"
    assert me.resident_id_encrypted == ""
    assert me.birth_date is None


def test_patch_me_with_unknown_tag_changes_nothing(client, me, auth, district):
    factories.tag(me, "elder")
    response = patch_me(
        client,
        {
            "name": "新名字",
            "home_region_id": district.minfeng.pk,
            "resident_id": factories.resident_id(),
            "tags": {"volunteer": {}, "astronaut": {}},
        },
        **auth,
    )
    assert response.status_code == 422
    assert response.json()["field"].startswith("tags")
    me.refresh_from_db()
    assert me.name == "王小明"
    assert me.home_region is None
    assert me.resident_id_encrypted == ""
    assert list(me.tags.values_list("tag", flat=True)) == ["elder"]


def test_patch_me_new_employment_needs_a_trade(client, me, auth):
    response = patch_me(client, {"name": "新名字", "tags": {"new_employment": {}}}, **auth)
    assert response.status_code == 400
    assert response.json()["field"] == "trade"
    me.refresh_from_db()
    assert me.name == "王小明"
    assert not me.tags.exists()

    response = patch_me(
        client,
        {"name": "新名字", "tags": {"new_employment": {"trade": "courier", "platform": "顺丰"}}},
        **auth,
    )
    assert response.status_code == 200, response.content
    tag = PersonTag.objects.get(person=me)
    assert (tag.tag, tag.trade, tag.platform) == ("new_employment", "courier", "顺丰")


def test_patch_me_replaces_the_tags(client, me, auth, district):
    factories.tag(me, "elder")
    response = patch_me(
        client,
        {
            "name": "王小明",
            "home_region_id": district.yunhui.pk,
            "tags": {"party_member": {"home_branch": "云会村党支部"}, "volunteer": {}},
        },
        **auth,
    )
    assert response.status_code == 200, response.content
    assert response.json()["home_region_id"] == district.yunhui.pk
    assert {t["tag"] for t in response.json()["tags"]} == {"party_member", "volunteer"}
    me.refresh_from_db()
    assert me.home_region == district.yunhui
    assert sorted(me.tags.values_list("tag", "home_branch")) == [
        ("party_member", "云会村党支部"),
        ("volunteer", ""),
    ]


def test_patch_me_without_tags_keeps_them(client, me, auth):
    factories.tag(me, "elder")
    assert patch_me(client, {"name": "王小明"}, **auth).status_code == 200
    assert list(me.tags.values_list("tag", flat=True)) == ["elder"]


def test_patch_me_unknown_home_region_is_404_and_changes_nothing(client, me, auth, district):
    response = patch_me(client, {"name": "新名字", "home_region_id": 987654321}, **auth)
    assert response.status_code == 404
    me.refresh_from_db()
    assert me.name == "王小明"


def test_patch_me_resident_id_of_another_account_is_refused(client, me, auth):
    number = factories.resident_id()
    other = factories.PersonFactory()
    other.set_resident_id(number)
    other.save()
    response = patch_me(client, {"name": "王小明", "resident_id": number}, **auth)
    assert response.status_code == 400
    assert response.json()["field"] == "resident_id"
    me.refresh_from_db()
    assert me.resident_id_encrypted == ""


def test_patch_me_empty_name_is_refused(client, me, auth):
    response = patch_me(client, {"name": "  "}, **auth)
    assert response.status_code == 400
    assert response.json()["field"] == "name"


# The browser's session


def test_session_patch_without_csrf_token_is_403(me):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(me, backend="dangqun.accounts.backends.PersonBackend")
    assert browser.get(f"{API}/me").status_code == 200

    response = patch_me(browser, {"name": "被篡改"})
    assert response.status_code == 403
    me.refresh_from_db()
    assert me.name == "王小明"


def test_csrf_refusal_has_the_api_error_body(me):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(me, backend="dangqun.accounts.backends.PersonBackend")
    response = patch_me(browser, {"name": "被篡改"})
    assert response.status_code == 403
    body = response.json()
    assert {"code", "message", "field"} <= set(body), body
    assert body["message"].strip()


def test_session_patch_with_csrf_token_works(me):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(me, backend="dangqun.accounts.backends.PersonBackend")
    browser.get("/accounts/sign-in/")  # a page with a form sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = patch_me(browser, {"name": "王晓明"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    me.refresh_from_db()
    assert me.name == "王晓明"


def test_bearer_token_needs_no_csrf_token(me, auth):
    api_client = Client(enforce_csrf_checks=True)
    response = patch_me(api_client, {"name": "王晓明"}, **auth)
    assert response.status_code == 200
    me.refresh_from_db()
    assert me.name == "王晓明"
