"""QA: the applicant's 我的报名, 个人信息 and 报名进度 lacked the " · 社区工作者招聘平台" title
suffix the other pages have; /favicon.ico answered 404."""

import re

import pytest
from django.urls import reverse

from tests.applicants.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_applicant_pages_carry_the_site_name(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    for name, args, heading in (
        ("applicants:applications", [], "我的报名"),
        ("applicants:profile", [], "个人信息"),
        ("applicants:application", [application.pk], "报名进度"),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert _title(response).startswith(f"{heading} · 社区工作者招聘平台"), _title(response)


def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.ico")
    assert client.post("/favicon.ico").status_code == 405
