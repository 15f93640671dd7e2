"""Issue 13, kinds 1 (ID numbers in every spelling) and 2 (every real name).

Each example of the issue is a test with its right value, plus more of the same kind.
ID numbers are normalised (NFKC, separators dropped) before any length check, uniqueness
lookup or checksum; names are never NFKC-normalised."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from applicants import id_claims, id_numbers, services
from applicants.forms import ProfileForm
from applicants.id_numbers import make_id_number, normalize, parse
from applicants.models import ApplicantProfile
from applicants.names import clean_real_name
from tests.applicants.factories import ProfileFactory
from tests.factories import UserFactory

# GB 11643's published example, 11010519491231002X. Check character by hand:
# digits 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 × weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
# = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → "10X98765432"[2] = X.
GB_EXAMPLE = "11010519491231002X"


# --- Kind 1: ID numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "１１０１０５１９４９１２３１００２X",  # the issue: full width
        "110105 19491231 002X",  # the issue: grouped as printed
        "  11010519491231002x",  # leading spaces of a paste, lower-case x
        "110105-19491231-002Ｘ",  # hyphens, full-width X
        "110105\u300019491231\u00a0002X\u200b",  # ideographic, no-break and zero-width spaces
    ],
)
def test_every_spelling_is_the_one_number(typed):
    assert normalize(typed) == GB_EXAMPLE
    assert parse(typed).number == GB_EXAMPLE


def test_one_full_width_digit_is_the_same_number_as_the_ascii_one():
    # The security example: 2103021996081813５6 is 210302199608181356.
    assert parse("2103021996081813５6").number == "210302199608181356"


@pytest.mark.parametrize("typed", ["11010519491231002\u0663", "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "11010519491231002Y"])
def test_only_ascii_digits_and_x_after_normalising(typed):
    # Arabic-Indic digits are digits to str.isdigit() and int(), and NFKC keeps them: refused.
    with pytest.raises(ValidationError) as error:
        parse(typed)
    assert error.value.code == "chars"


def test_a_length_error_counts_what_is_left_after_separators():
    # 17 digits with spaces: the message says 17, not the 20 characters typed.
    with pytest.raises(ValidationError) as error:
        parse("110105 19491231 002")
    assert error.value.code == "length"
    assert "17" in error.value.messages[0]


def test_region_codes_come_from_the_national_list_of_every_year():
    # The issue: 354133 is no division of 福建省 (35) → refused with a region message.
    with pytest.raises(ValidationError) as error:
        parse("354133198209290022")
    assert error.value.code == "region" and "354133" in error.value.messages[0]
    # 120107 塘沽区, abolished 2009 (merged into 滨海新区): a card issued before stays valid.
    assert parse("120107198012010075").birth_date == date(1980, 12, 1)
    # Mine: 210311 was 郊区, then 旧堡区 (1983–1995), then 千山区 (1996–): valid whatever the year.
    assert parse(make_id_number("210311", date(1990, 5, 1), 12)).number.startswith("210311")
    # Mine: a province code alone with an unknown county (110199) is refused.
    with pytest.raises(ValidationError) as error:
        parse(make_id_number("110199", date(1990, 5, 1), 12))
    assert error.value.code == "region"


# python-stdnum's published test numbers for cn.ric (tests/test_cn_ric.doctest of
# arthurdejong/python-stdnum). Where stdnum refuses a county for the year of birth we accept:
# the number on a real card does not change when a district is renamed or created later.
STDNUM_VALID = [
    "360426199101010071",  # 江西省德安县
    "44011320141005001x",  # 广东省番禺区 (lower-case x in their data)
    "412723199010050012",  # 河南省商水县
    "110102199101010078",  # 北京市西城区
    "120110198012010073",  # 天津市东郊区 (before 1991)
    "120110199212010072",  # 天津市东丽区 (after 1991)
    "110111198012010078",  # stdnum: county not registered yet at birth — valid for us
    "110201199312010077",  # stdnum: county deregistered at birth — valid for us
]
STDNUM_INVALID = {
    "990426199112010074": "region",  # unknown birth place
    "T60426199101010078": "chars",  # invalid format
    "360426199113010079": "birth_date",  # month 13
    "36042619910102009X": "checksum",
}


@pytest.mark.parametrize("number", STDNUM_VALID)
def test_stdnum_published_valid_numbers(number):
    assert parse(number, today=date(2026, 11, 30)).number == number.upper()


@pytest.mark.parametrize(("number", "code"), STDNUM_INVALID.items())
def test_stdnum_published_invalid_numbers(number, code):
    with pytest.raises(ValidationError) as error:
        parse(number)
    assert error.value.code == code


def test_the_model_validator_wants_the_stored_spelling():
    id_numbers.validate_id_number(GB_EXAMPLE)
    with pytest.raises(ValidationError) as error:
        id_numbers.validate_id_number("110105 19491231 002X")
    assert error.value.code == "spelling" and GB_EXAMPLE in error.value.messages[0]


def _fields(number, name="李四"):
    return {
        "real_name": name,
        "id_number": number,
        "household_province": "辽宁省",
        "household_city": "鞍山市",
    }


@pytest.mark.django_db
def test_another_accounts_number_in_any_spelling_is_refused(settings):
    cache.clear()
    settings.APPLICANT_ID_ATTEMPT_LIMIT = 10
    real = ProfileFactory(id_number="210302199608181356")
    for spelling in ("2103021996081813５6", "210302 19960818 1356", "２１０３０２１９９６０８１８１３５６"):
        intruder = UserFactory(role="applicant")
        with pytest.raises(ValidationError) as error:
            services.profile_save(user=intruder, fields=_fields(spelling))
        message = error.value.message_dict["id_number"][0]
        # Neutral: it never says the number is registered, nor by whom.
        assert message == str(id_claims.TAKEN_MESSAGE)
        assert "注册" not in message and real.real_name not in message
    assert list(ApplicantProfile.objects.values_list("id_number", flat=True)) == ["210302199608181356"]


@pytest.mark.django_db
def test_the_profile_stores_the_normalised_number():
    cache.clear()
    user = UserFactory(role="applicant")
    profile = services.profile_save(user=user, fields=_fields("１１０１０５１９４９１２３１００２x"))
    profile.refresh_from_db()
    assert profile.id_number == GB_EXAMPLE and profile.birth_date == date(1949, 12, 31)


@pytest.mark.django_db
def test_trying_numbers_one_after_another_is_rate_limited(settings):
    # Limit 3 per window: tries 1–3 answer (two free numbers saved, one taken refused);
    # the 4th is refused with the same words whether its number is free or not.
    cache.clear()
    settings.APPLICANT_ID_ATTEMPT_LIMIT = 3
    taken = ProfileFactory().id_number
    user = UserFactory(role="applicant")
    services.profile_save(user=user, fields=_fields(make_id_number("210302", date(1990, 1, 1), 1)))
    services.profile_save(user=user, fields=_fields(make_id_number("210302", date(1990, 1, 1), 2)))
    with pytest.raises(ValidationError) as error:
        services.profile_save(user=user, fields=_fields(taken))
    assert error.value.message_dict["id_number"] == [str(id_claims.TAKEN_MESSAGE)]
    for number in (taken, make_id_number("210302", date(1990, 1, 1), 3)):
        with pytest.raises(ValidationError) as error:
            services.profile_save(user=user, fields=_fields(number))
        assert error.value.message_dict["id_number"] == [str(id_claims.THROTTLED_MESSAGE)]
    # Saving the profile again with the same number is no new try.
    services.profile_save(user=user, fields=_fields(make_id_number("210302", date(1990, 1, 1), 2), "王五"))
    assert ApplicantProfile.objects.get(user=user).real_name == "王五"


@pytest.mark.django_db
@pytest.mark.parametrize("stored", ["2103021996081813５6", "210302 19960818135", "21030219960818135"])
def test_the_database_refuses_a_number_not_in_the_stored_spelling(stored):
    profile = ProfileFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicantProfile.objects.filter(pk=profile.pk).update(id_number=stored)


@pytest.mark.django_db
def test_the_migration_normalises_stored_numbers_and_stops_on_a_collision():
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    from tests.applicants.factories import ApplicationFactory

    if connection.vendor != "postgresql":
        pytest.skip("rows written past the constraints need PostgreSQL's transactional DDL")
    migration = import_module("applicants.migrations.0008_id_number_one_spelling")
    assert migration._normal("11010519491231002\u0663") == "110105194912310023"  # ٣ read as 3
    with connection.schema_editor() as editor:  # as before the migration (rolled back with the test)
        for constraint in ApplicantProfile._meta.constraints:
            editor.remove_constraint(ApplicantProfile, constraint)
    old = ProfileFactory()
    ApplicantProfile.objects.filter(pk=old.pk).update(id_number="２１０３０２19960818135６")
    application = ApplicationFactory(applicant=old.user)
    application.snapshot = {**application.snapshot, "id_number": "２１０３０２19960818135６"}
    application.save(update_fields=["snapshot"])
    migration.forwards(apps, None)
    old.refresh_from_db()
    application.refresh_from_db()
    assert old.id_number == "210302199608181356"
    assert application.snapshot["id_number"] == "210302199608181356"
    # A second account holding the same number in another spelling: stop and name both.
    intruder = ProfileFactory()
    ApplicantProfile.objects.filter(pk=intruder.pk).update(id_number="2103021996081813５6")
    with pytest.raises(RuntimeError) as error:
        migration.forwards(apps, None)
    assert f"profile {intruder.pk}" in str(error.value) and f"profile {old.pk}" in str(error.value)
    assert ApplicantProfile.objects.get(pk=intruder.pk).id_number == "2103021996081813５6"  # untouched


@pytest.mark.django_db
def test_the_form_does_not_cut_a_paste_and_normalises(client):
    user = UserFactory(role="applicant")
    form = ProfileForm(user=user)
    html = str(form["id_number"])
    assert 'maxlength="18"' not in html
    form = ProfileForm(
        {**_fields("  110105 19491231 002X  "), "ethnicity": "汉族", "political_status": "masses"},
        user=user,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == GB_EXAMPLE


# --- Kind 2: names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("𠮷振华", "𠮷振华"),  # the issue: U+20BB7, beyond the BMP (Extension B)
        ("\U0002b820明", "\U0002b820明"),  # mine: Extension E
        ("\U00031350丽", "\U00031350丽"),  # mine: Extension H
        ("\uf900明", "\uf900明"),  # mine: compatibility ideograph 豈, kept (NFKC would make it U+8C48)
        ("Zhang San", "Zhang San"),  # the issue: the space is kept, never "ZhangSan"
        ("  Zhang   San ", "Zhang San"),  # mine: runs of spaces become one, ends trimmed
        ("买买提·艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),  # bullet
        ("买买提・艾力", "买买提·艾力"),  # katakana middle dot
        ("买买提．艾力", "买买提·艾力"),  # full-width full stop
        ("买买提 · 艾力", "买买提·艾力"),  # spaces around the dot
        ("王〇", "王〇"),
    ],
)
def test_names_as_on_the_card(typed, stored):
    assert clean_real_name(typed) == stored


def test_a_name_over_the_limit_is_an_error_never_cut():
    # The issue: 25 characters were saved as 20. 25 > 20 → refused, saying 25.
    with pytest.raises(ValidationError) as error:
        clean_real_name("张" * 25)
    assert error.value.code == "length" and "25" in error.value.messages[0]
    # Mine: 20 characters of which 5 beyond the BMP are 20, not 25 (UTF-16 units) or 40 bytes.
    assert clean_real_name("𠮷" * 5 + "张" * 15) == "𠮷" * 5 + "张" * 15


@pytest.mark.parametrize(
    ("typed", "code"), [("张 三", "space"), ("张3", "chars"), ("A", "length"), ("", "required")]
)
def test_bad_names_say_why(typed, code):
    with pytest.raises(ValidationError) as error:
        clean_real_name(typed)
    assert error.value.code == code


@pytest.mark.django_db
def test_names_through_the_profile_page(client):
    cache.clear()
    user = UserFactory(role="applicant")
    client.force_login(user)
    data = {
        **_fields(make_id_number("210302", date(1996, 4, 2), 31), name="𠮷振华"),
        "ethnicity": "汉族",
        "political_status": "masses",
        "education-TOTAL_FORMS": "0",
        "education-INITIAL_FORMS": "0",
        "work-TOTAL_FORMS": "0",
        "work-INITIAL_FORMS": "0",
        "certificates-TOTAL_FORMS": "0",
        "certificates-INITIAL_FORMS": "0",
    }
    page = client.get(reverse("applicants:profile")).content.decode()
    for name in ("real_name", "id_number"):  # the browser cuts nothing pasted into them
        tag = page.split(f'name="{name}"')[1].split(">")[0]
        assert 'maxlength="20"' not in tag and 'maxlength="18"' not in tag
    assert client.post(reverse("applicants:profile"), {**data, "real_name": "张" * 25}).status_code == 200
    assert not ApplicantProfile.objects.exists()
    assert client.post(reverse("applicants:profile"), data).status_code == 302
    assert ApplicantProfile.objects.get(user=user).real_name == "𠮷振华"
    data["real_name"] = "Zhang San"
    assert client.post(reverse("applicants:profile"), data).status_code == 302
    assert ApplicantProfile.objects.get(user=user).real_name == "Zhang San"
