"""The administrator's page of interview and ranking rules (面试和排名规则): both homes of the
rules edited together, presets (常用方案) that fill the form for checking before saving, each
choice explained, locked once a ranking is confirmed. Thin: writes in exams.services.settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import role_required
from accounts.roles import Role
from recruitment.models import Announcement

from ..forms_shortlist import AnnouncementRulesForm, RankingSettingsForm
from ..rules import rules_for
from ..services import settings as services


def _preset_data(announcement_form, settings_form, preset) -> dict:
    """The forms' current values with the preset's applied, as bound data (not saved)."""
    a_data, s_data = {}, {}
    for name, field in announcement_form.fields.items():
        a_data[f"a-{name}"] = announcement_form.initial.get(name, field.initial)
    for name, field in settings_form.fields.items():
        s_data[f"s-{name}"] = settings_form.initial.get(name, field.initial)
    for name, value in preset.announcement.items():
        a_data[f"a-{name}"] = value
    for name, value in preset.settings.items():
        s_data[f"s-{name}"] = value
    # Checkboxes: bound data holds them only when on; lists stay lists.
    cleaned = {}
    for key, value in {**a_data, **s_data}.items():
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        if key == "s-confirm_deadline" and hasattr(value, "strftime"):
            from django.utils import timezone

            value = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        cleaned[key] = value
    return cleaned


@role_required(Role.ADMINISTRATOR)
def edit(request, pk):
    announcement = get_object_or_404(Announcement.objects.exclude(status=Announcement.Status.ARCHIVED), pk=pk)
    row = services.settings_row(announcement)
    locked = services.settings_locked(announcement)
    preset = services.PRESETS_BY_KEY.get(request.POST.get("preset", "")) if request.method == "POST" else None
    if request.method == "POST" and not locked and preset is None:
        a_form = AnnouncementRulesForm(request.POST, instance=announcement, prefix="a")
        s_form = RankingSettingsForm(request.POST, instance=row, prefix="s")
        if a_form.is_valid() and s_form.is_valid():
            try:
                services.settings_save(
                    announcement=announcement,
                    actor=request.user,
                    announcement_values=a_form.values(),
                    settings_values=s_form.values(),
                )
            except PermissionDenied as error:
                messages.error(request, str(error))
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("面试和排名规则已保存。"))
                return redirect("exams:settings_edit", pk=pk)
        else:
            messages.error(request, _("有填写错误，请按提示修改；修改前的内容尚未保存。"))
    elif preset is not None and not locked:
        base_a = AnnouncementRulesForm(instance=announcement, prefix="a")
        base_s = RankingSettingsForm(instance=row, prefix="s")
        data = _preset_data(base_a, base_s, preset)
        a_form = AnnouncementRulesForm(
            data, instance=Announcement.objects.get(pk=announcement.pk), prefix="a"
        )
        s_form = RankingSettingsForm(data, instance=services.settings_row(announcement), prefix="s")
        a_form.is_valid()
        s_form.is_valid()
        messages.info(
            request, _("已按“%(title)s”填好，请检查后点“保存”；尚未保存。") % {"title": preset.title}
        )
    else:
        a_form = AnnouncementRulesForm(instance=announcement, prefix="a")
        s_form = RankingSettingsForm(instance=row, prefix="s")
    if locked:
        for form in (a_form, s_form):
            for field in form.fields.values():
                field.disabled = True
    try:
        rules = rules_for(announcement)
    except Exception:  # noqa: BLE001 - a stored impossible combination is shown, not a 500
        rules = None
    return render(
        request,
        "exams/settings/edit.html",
        {
            "announcement": announcement,
            "a_form": a_form,
            "s_form": s_form,
            "locked": locked,
            "presets": services.PRESETS,
            "rules": rules,
        },
    )
