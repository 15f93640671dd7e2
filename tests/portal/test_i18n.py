import polib
import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_in_chinese_by_default(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "社区工作者公开招聘" in response.content.decode()


def test_switching_language_to_english(client):
    response = client.get(reverse("switch_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "Community worker recruitment" in page


def _catalogues():
    base = settings.BASE_DIR
    return sorted(p for p in base.glob("*/locale/en/LC_MESSAGES/django.po") if ".venv" not in p.parts) + [
        base / "locale/en/LC_MESSAGES/django.po"
    ]


@pytest.mark.parametrize("path", _catalogues(), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_english_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {path}: {missing[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"


def test_language_switch_refuses_a_foreign_next_and_an_unknown_language(client):
    response = client.get(reverse("switch_language"), {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_anonymous_pages_carry_no_csrf_token(client):
    response = client.get(reverse("home"))
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "X-CSRFToken" not in response.content.decode()
    assert settings.CSRF_COOKIE_NAME not in response.cookies
