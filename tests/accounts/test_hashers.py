import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, identify_hasher, make_password

from accounts.hashers import Argon2OwaspPasswordHasher


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = [
        "accounts.hashers.Argon2OwaspPasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


def test_new_passwords_use_argon2id_at_the_owasp_parameters(production_hashers):
    encoded = make_password("Qiming#2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("Qiming#2026", encoded)
    assert not check_password("wrong", encoded)


def test_a_hash_made_with_djangos_default_argon2_still_verifies_and_is_upgraded(production_hashers):
    old = Argon2PasswordHasher().encode("Qiming#2026", Argon2PasswordHasher().salt())
    assert "m=102400" in old
    assert check_password("Qiming#2026", old)
    assert identify_hasher(old).must_update(old)
    assert not Argon2OwaspPasswordHasher().must_update(make_password("Qiming#2026"))
