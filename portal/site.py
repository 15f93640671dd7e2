"""The site's identity on every page: the authority's name and logo, the footer's organiser
(主办单位), contact, and the ICP and public-security (公安) record numbers.

Administrators edit them on a portal page (portal.models.SiteSettings, one row); a field
left empty there falls back to the deployment's default (settings.PORTAL_SITE, from the
environment), so a fresh installation shows the right names before anyone signs in and an
administrator can change them later without a deploy. Record numbers are empty by default
and shown only when set.

Read on every page, so kept in the cache (`identity()`: one query when the cache is cold,
none after) and dropped when the row is saved.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language

CACHE_KEY = "portal:site-identity:v1"
SECONDS = 600

FIELDS = (
    "authority_name",
    "authority_name_en",
    "organiser",
    "organiser_en",
    "contact",
    "icp_record",
    "police_record",
)


def defaults() -> dict[str, str]:
    configured = getattr(settings, "PORTAL_SITE", {}) or {}
    return {name: str(configured.get(name, "") or "") for name in FIELDS}


def _load() -> dict:
    from .models import SiteSettings

    values = defaults()
    values["logo_version"] = ""
    row = SiteSettings.objects.filter(pk=SiteSettings.SINGLETON_PK).defer("logo").first()
    if row is not None:
        for name in FIELDS:
            value = getattr(row, name)
            if value:
                values[name] = value
        if row.logo_type:
            values["logo_version"] = str(int(row.updated_at.timestamp()))
    return values


def identity() -> dict:
    """{"authority_name", "organiser", "contact", "icp_record", "police_record", "logo_url"}
    in the active language (English names fall back to the Chinese ones)."""
    values = cache.get(CACHE_KEY)
    if values is None:
        values = _load()
        cache.set(CACHE_KEY, values, SECONDS)
    english = (get_language() or "").startswith("en")
    shown = {
        "authority_name": (english and values["authority_name_en"]) or values["authority_name"],
        "organiser": (english and values["organiser_en"]) or values["organiser"],
        "contact": values["contact"],
        "icp_record": values["icp_record"],
        "police_record": values["police_record"],
        "logo_url": "",
    }
    if values["logo_version"]:
        shown["logo_url"] = f"{reverse('site_logo')}?v={values['logo_version']}"
    return shown


def forget() -> None:
    cache.delete(CACHE_KEY)


def site_settings_get():
    """The settings row, or an unsaved empty one before the first save: reading the
    settings page writes nothing (site_settings_update creates the row)."""
    from .models import SiteSettings

    return SiteSettings.objects.filter(pk=SiteSettings.SINGLETON_PK).first() or SiteSettings(
        pk=SiteSettings.SINGLETON_PK
    )


def site_settings_update(
    *, actor, values: dict, logo: tuple[bytes, str] | None = None, remove_logo: bool = False
):
    """Save the identity fields in `values` (names of FIELDS → text), and a new logo
    (`logo` = (bytes, content type), already checked by the form) or none
    (`remove_logo`). Audited (portal.audit, fields changed); the cache is dropped after
    the commit. Returns the row."""
    from django.db import transaction

    from . import audit
    from .models import SiteSettings

    with transaction.atomic():
        row, _created = SiteSettings.objects.select_for_update().get_or_create(pk=SiteSettings.SINGLETON_PK)
        changed = [name for name in FIELDS if name in values and getattr(row, name) != values[name]]
        for name in changed:
            setattr(row, name, values[name])
        if logo is not None:
            row.logo, row.logo_type = logo
            changed += ["logo"]
        elif remove_logo and row.logo_type:
            row.logo, row.logo_type = b"", ""
            changed += ["logo"]
        row.updated_by = actor
        row.save()
        if changed:
            audit.record(actor, row, audit.CHANGE, fields=changed)
        transaction.on_commit(forget)
    return row
