"""Every way a person types a phone number (issue 13, kind 1, phone part): one spelling
before any length check, uniqueness lookup or login lookup; one phone, one account."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from accounts.validators import normalize_phone, validate_mainland_mobile
from notifications.sms import LocmemSmsBackend
from portal.normalize import is_ascii_digits, normalize_digits
from tests.factories import UserFactory

FULL_WIDTH = "１３８０００００００１"  # U+FF11…: what a Chinese IME types in full-width mode


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()


# --- The generic normaliser (portal.normalize), reused for ID numbers ------------------


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        # The ID-number examples: full-width digits, and groups split by spaces.
        ("１１０１０５１９４９１２３１００２X", "11010519491231002X"),
        ("110105 19491231 002X", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),  # full-width X → X
        ("  110105-19491231-002X\u200b", "11010519491231002X"),  # pasted: spaces, hyphens, ZWSP
        ("138\u00a00000\u30000001", "13800000001"),  # no-break and ideographic spaces
        ("138‐0000–0001", "13800000001"),  # U+2010 hyphen, U+2013 en dash
        ("138—0000―0001", "13800000001"),  # em dash, horizontal bar
        ("(138).0000.0001", "13800000001"),
        ("２１０３０２１９９６０８１８１３５６", "210302199608181356"),
    ],
)
def test_normalize_digits(typed, normal):
    assert normalize_digits(typed) == normal


def test_normalize_digits_never_drops_a_digit_it_cannot_read():
    # Arabic-Indic digits survive NFKC as themselves: left for the validator to refuse.
    assert normalize_digits("١٣٨") == "١٣٨"
    assert not is_ascii_digits("١٣٨") and not is_ascii_digits("１３８") and is_ascii_digits("138")
    assert normalize_digits(None) == ""


# --- Phone numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13800000001",
        FULL_WIDTH,
        "+86 138 0000 0001",  # the example
        "138-0000-0001",  # the example
        "＋８６ １３８ ００００ ０００１",
        "0086 138 0000 0001",
        "86 138 0000 0001",
        "(+86) 138-0000-0001",
        "  13800000001  ",
        "138\u30000000\u30000001",
    ],
)
def test_every_spelling_of_one_phone_is_one_number(typed):
    assert normalize_phone(typed) == "13800000001"
    validate_mainland_mobile(typed)


@pytest.mark.parametrize(
    "typed",
    ["١٣٨٠٠٠٠٠٠٠١", "1380000000", "138000000012", "12800000001", "1380000000a", "+1 415 555 0100"],
)
def test_what_is_not_a_mainland_mobile_number_is_refused(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_mainland_mobile(typed)


@pytest.mark.django_db
def test_a_full_width_phone_is_saved_in_ascii():
    user = UserFactory(phone=FULL_WIDTH)
    user.refresh_from_db()
    assert user.phone == "13800000001"


@pytest.mark.django_db
def test_the_database_refuses_a_second_spelling_of_a_number():
    # The model normalises on save; an UPDATE that bypasses it hits the check constraint.
    UserFactory(phone="13800000001")
    other = UserFactory(phone="13900000002")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(phone=FULL_WIDTH)


def _signup(client, phone, email="new.person@example.cn"):
    return client.post(
        reverse("account_signup"),
        {
            "phone": phone,
            "email": email,
            "password1": "Qiming#2026",
            "password2": "Qiming#2026",
            "privacy_consent": "on",
        },
    )


@pytest.mark.django_db
def test_signup_with_a_full_width_or_pasted_phone_stores_one_spelling(client):
    response = _signup(client, "  ＋８６ １３８-００１３-８０００")
    assert response.status_code == 302
    assert User.objects.get(email="new.person@example.cn").phone == "13800138000"


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", [FULL_WIDTH, "+86 138 0000 0001", "138-0000-0001"])
def test_one_phone_one_account_for_every_spelling(client, spelling):
    owner = UserFactory(phone="13800000001", email="owner@example.cn")
    response = _signup(client, spelling)
    # No second account, and the page answers as for a new number (no "already used" to
    # test whether a person has registered): the owner is told by SMS instead.
    assert User.objects.filter(phone="13800000001").get() == owner
    assert not User.objects.filter(email="new.person@example.cn").exists()
    assert response.status_code == 302 and response["Location"] == reverse("account_verify_phone")
    phone, text = LocmemSmsBackend.outbox[-1]
    assert phone == "13800000001" and "已注册" in text


@pytest.mark.django_db
def test_a_taken_phone_and_a_new_phone_get_the_same_answer(client):
    UserFactory(phone="13800000001")
    taken = _signup(client, "138 0000 0001", email="a@example.cn")
    client.logout()
    client.cookies.clear()
    fresh = _signup(client, "138 0000 0002", email="b@example.cn")
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", [FULL_WIDTH, "+86 138 0000 0001", "138-0000-0001", " 13800000001"])
def test_login_by_every_spelling_of_the_phone(client, spelling):
    UserFactory(phone="13800000001")
    response = client.post(reverse("account_login"), {"login": spelling, "password": "Secret#2026"})
    assert response.status_code == 302, response.content.decode()[:300]
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_phone_inputs_do_not_cut_a_paste(client):
    # maxlength=11 would cut "  138 0013 8000" (15 characters) before the server saw it.
    for name in ("account_signup", "account_login"):
        page = client.get(reverse(name)).content.decode()
        tag = page[page.index('name="phone"' if name == "account_signup" else 'name="login"') :][:400]
        tag = tag[: tag.index(">")]
        assert "maxlength" not in tag, (name, tag)


@pytest.mark.django_db
def test_changing_to_another_accounts_number_in_any_spelling_reveals_nothing(client):
    # The page answers the same for a taken and a free number; the taken one is not given to
    # the person asking, and its owner is told by SMS instead of a code being sent.
    owner = UserFactory(phone="13800000001")
    person = UserFactory(phone="13900000002")
    client.force_login(person)
    taken = client.post(reverse("account_change_phone"), {"phone": FULL_WIDTH})
    person.refresh_from_db()
    assert person.phone == "13900000002"
    assert User.objects.get(phone="13800000001") == owner
    phone, text = LocmemSmsBackend.outbox[-1]
    assert phone == "13800000001" and "已注册" in text
    # A second try within the minute is refused by allauth's change_phone limit (1/m/user).
    assert client.post(reverse("account_change_phone"), {"phone": "139 0000 0004"}).status_code == 429
    client.force_login(UserFactory(phone="13900000005"))
    free = client.post(reverse("account_change_phone"), {"phone": "139 0000 0003"})
    assert (taken.status_code, taken.get("Location")) == (free.status_code, free.get("Location"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["account_signup", "account_login", "account_reset_password"])
def test_account_pages_have_a_query_budget(client, name, django_assert_max_num_queries):
    # Anonymous pages: the session and site settings at most, nothing per field or choice.
    with django_assert_max_num_queries(3):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_changing_to_a_free_number_by_code(client):
    person = UserFactory(phone="13900000002")
    client.force_login(person)
    response = client.post(reverse("account_change_phone"), {"phone": "＋８６ １３９-００００-０００３"})
    assert response.status_code == 302
    phone, text = LocmemSmsBackend.outbox[-1]
    code = "".join(ch for ch in text if ch.isdigit())[:6]
    assert phone == "13900000003" and len(code) == 6
    client.post(reverse("account_verify_phone"), {"code": code})
    person.refresh_from_db()
    assert (person.phone, person.phone_verified) == ("13900000003", True)
