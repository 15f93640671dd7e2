"""Reading the site-settings page writes nothing: before the first save there is no row,
and a GET leaves it so (the row is created by the first save)."""

from django.urls import reverse

from portal.models import SiteSettings


def test_reading_the_settings_page_creates_no_row(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("site_settings")).status_code == 200
    assert not SiteSettings.objects.exists()


def test_the_first_save_creates_the_row(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("site_settings"), {"authority_name": "测试市民政局"})
    assert response.status_code == 302
    assert SiteSettings.objects.get().authority_name == "测试市民政局"
