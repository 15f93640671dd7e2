"""The site's frame: error pages (400, 403, 404, 500) inside it in both languages with
DEBUG off, the Content-Security-Policy header, the site identity (authority, footer
records) edited by administrators."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, override_settings
from django.urls import path, reverse
from PIL import Image

from accounts.roles import Role
from portal import site
from portal.models import SiteSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("boom")


def _bad(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("bad")


urlpatterns = [
    path("forbidden/", _forbidden),
    path("broken/", _broken),
    path("bad/", _bad),
]


@pytest.fixture
def error_urls(settings):
    """The project's urls plus three views that fail, with the project's handlers."""
    import portal.urls

    module = type(portal.urls)("tests_portal_error_urls")
    module.urlpatterns = [*urlpatterns, *portal.urls.urlpatterns]
    module.handler500 = portal.urls.handler500
    import sys

    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    settings.DEBUG = False
    yield
    del sys.modules[module.__name__]


LANGUAGES = [
    (
        "zh-hans",
        {
            "400": "请求有误",
            "403": "您没有访问此页面的权限",
            "404": "找不到您要访问的页面",
            "500": "系统出现错误",
        },
    ),
    (
        "en",
        {
            "400": "Bad request",
            "403": "do not have permission",
            "404": "could not find the page",
            "500": "Something went wrong",
        },
    ),
]


@pytest.mark.parametrize(("language", "texts"), LANGUAGES)
def test_error_pages_render_inside_the_frame_in_both_languages(error_urls, language, texts):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    for url, status in (("/bad/", 400), ("/forbidden/", 403), ("/no-such-page/", 404), ("/broken/", 500)):
        response = client.get(url)
        assert response.status_code == status, url
        html = response.content.decode()
        assert texts[str(status)] in html, (language, status)
        assert f'lang="{language}"' in html
        assert "site-footer" in html and "/static/css/portal.css" in html  # the frame
        assert 'href="/"' in html  # what to do next: back home


def test_the_403_of_role_required_uses_the_page(client):
    client.force_login(UserFactory(role=Role.APPLICANT))
    response = client.get(reverse("accounts:staff_list"))
    assert response.status_code == 403
    assert "您没有访问此页面的权限" in response.content.decode()


def test_the_500_page_needs_no_database(error_urls, django_assert_num_queries):
    from portal.views import server_error

    # Rendered with no request context at all: no session, user, site identity or inbox.
    with django_assert_num_queries(0):
        response = server_error(None)
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()


def test_the_500_page_falls_back_to_plain_text_when_its_template_fails(monkeypatch):
    from portal import views

    def fail(*args, **kwargs):
        raise RuntimeError("template broken")

    monkeypatch.setattr(views.loader, "render_to_string", fail)
    response = views.server_error(None)
    assert response.status_code == 500
    assert "Please try again" in response.content.decode()


# --- Content-Security-Policy -------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "recruitment:list", "account_login"])
def test_every_page_has_a_content_security_policy_without_unsafe_scripts(client, name):
    policy = client.get(reverse(name))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script


def test_the_staff_console_has_the_header_and_no_inline_script(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("workbench"))
    assert "Content-Security-Policy" in response
    html = response.content.decode()
    assert "<script>" not in html and "onchange=" not in html and "<style" not in html


def test_an_inline_script_runs_only_with_the_nonce_of_the_header(client, applicant):
    """Every <script> without a src on the applicants' pages carries this response's nonce
    (the header names it only when a template asked for request.csp_nonce)."""
    import re

    from tests.recruitment.factories import PositionFactory

    position = PositionFactory()
    client.force_login(applicant)
    for url in (
        reverse("applicants:profile"),
        reverse("applicants:files"),
        reverse("applicants:applications"),
        reverse("applicants:apply", args=[position.pk]),
    ):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
            if "src=" in tag:
                continue
            nonce = re.search(r'nonce="([^"]+)"', tag)
            assert nonce and f"'nonce-{nonce.group(1)}'" in policy, (url, tag)


# --- site identity -------------------------------------------------------------------------


def test_the_footer_shows_record_numbers_only_when_set(client, settings):
    html = client.get(reverse("home")).content.decode()
    assert "beian.miit.gov.cn" not in html and "beian.mps.gov.cn" not in html
    SiteSettings.objects.create(
        pk=1,
        organiser="测试市民政局",
        icp_record="辽ICP备12345678号-1",
        police_record="辽公网安备21030202000001号",
    )
    site.forget()
    html = client.get(reverse("home")).content.decode()
    assert "主办单位：测试市民政局" in html
    assert "辽ICP备12345678号-1" in html and "辽公网安备21030202000001号" in html


def test_environment_defaults_show_until_an_administrator_sets_a_value(client, settings):
    settings.PORTAL_SITE = {"authority_name": "测试市民政局", "authority_name_en": "Civil Affairs Bureau"}
    assert "测试市民政局" in client.get(reverse("home")).content.decode()
    client.cookies["django_language"] = "en"
    assert "Civil Affairs Bureau" in client.get(reverse("home")).content.decode()


def test_the_identity_is_read_once_then_from_the_cache(client):
    client.get(reverse("home"))
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("recruitment:list"))
    assert not any("portal_sitesettings" in query["sql"] for query in queries.captured_queries)


def _png(size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 80, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_administrator_sets_the_names_and_the_logo(client, administrator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(administrator)
    response = client.post(
        reverse("site_settings"),
        {
            "authority_name": "铁东区民政局",
            "organiser": "铁东区民政局",
            "contact": "0412-1234567",
            "logo_file": SimpleUploadedFile("logo.png", _png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("workbench")).content.decode()
    assert "铁东区民政局" in html and "0412-1234567" in html
    logo_url = html.split('class="navbar-brand')[1].split('src="')[1].split('"')[0]
    assert logo_url.startswith(reverse("site_logo") + "?v=")
    logo = Client().get(logo_url)
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert "immutable" in logo["Cache-Control"]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "logo.svg"),
        (b"\x89PNG" + b"0" * 200_000, "big.png"),
    ],
)
def test_the_logo_is_checked_by_content_and_size(client, administrator, content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(administrator)
    response = client.post(reverse("site_settings"), {"logo_file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert not SiteSettings.objects.filter(logo_type__gt="").exists()


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.EXAMINER, Role.APPLICANT])
def test_only_administrators_edit_the_site_settings(client, role):
    client.force_login(UserFactory(role=role))
    assert client.post(reverse("site_settings"), {"authority_name": "x"}).status_code == 403
    assert not SiteSettings.objects.filter(authority_name="x").exists()


@override_settings(DEBUG=False)
def test_no_logo_is_a_404(client):
    assert client.get(reverse("site_logo")).status_code == 404


def test_a_csrf_failure_explains_what_to_do_in_the_frame(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    response = client.post(reverse("site_settings"), {"authority_name": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html and "site-footer" in html
    assert not SiteSettings.objects.filter(authority_name="x").exists()
