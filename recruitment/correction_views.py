"""Publishing (after a confirmation with a summary) and correcting a published announcement
(更正公告 / 补充公告). Administrators only; thin: writes in services and corrections."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import role_required
from accounts.roles import Role

from . import corrections, services
from .forms import AnnouncementForm, CorrectionNoticeForm, PositionCorrectionForm
from .models import Announcement, Position


@role_required(Role.ADMINISTRATOR)
def announcement_publish(request, pk):
    """GET: the summary to confirm (positions, quotas, registration window) and what still
    stops publishing; POST: publish."""
    announcement = get_object_or_404(Announcement, pk=pk)
    if announcement.status != Announcement.Status.DRAFT:
        messages.error(request, _("只有草稿状态的公告可以发布。"))
        return redirect("recruitment:manage_detail", pk=pk)
    if request.method == "POST":
        try:
            services.announcement_publish(actor=request.user, announcement=announcement)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("公告已发布。"))
            return redirect("recruitment:manage_detail", pk=pk)
    return render(
        request,
        "recruitment/manage/publish_confirm.html",
        {
            "announcement": announcement,
            "summary": services.publish_summary(announcement),
            "problems": services.publish_problems(announcement),
        },
    )


def _apply_errors(forms, error: ValidationError):
    """Put each service error on the form that has the field, else on the notice form."""
    notice = forms[0]
    if not hasattr(error, "error_dict"):
        notice.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = next((form for form in forms if field in form.fields), None)
        (target or notice).add_error(field if target else None, errors)


@role_required(Role.ADMINISTRATOR)
def correction_create(request, pk):
    """The notice (kind, title, reason, text) above the announcement's fields, or one
    position's fields with ?position=<id>, all prefilled: what differs on submit is the
    correction, recorded field by field."""
    announcement = get_object_or_404(Announcement, pk=pk)
    if announcement.status not in corrections.OPEN_STATUSES:
        messages.error(request, _("只有已发布或已结束报名的公告可以发布更正公告或补充公告。"))
        return redirect("recruitment:manage_detail", pk=pk)
    position_id = request.POST.get("position") or request.GET.get("position")
    position = None
    if position_id:
        position = get_object_or_404(
            Position, pk=position_id if str(position_id).isdigit() else 0, announcement=announcement
        )
    data = request.POST if request.method == "POST" else None
    notice = CorrectionNoticeForm(data, prefix="notice")
    # The forms edit copies: the service compares the stored values with what was sent.
    if position is not None:
        fields_form = PositionCorrectionForm(
            data, prefix="position", instance=Position.objects.get(pk=position.pk), announcement=announcement
        )
    else:
        fields_form = AnnouncementForm(data, prefix="announcement", instance=Announcement.objects.get(pk=pk))
    if request.method == "POST" and notice.is_valid() and fields_form.is_valid():
        values = {name: fields_form.cleaned_data[name] for name in fields_form.Meta.fields}
        try:
            correction = corrections.correction_publish(
                actor=request.user,
                announcement=announcement,
                kind=notice.cleaned_data["kind"],
                title=notice.cleaned_data["title"],
                reason=notice.cleaned_data["reason"],
                body=notice.cleaned_data["body"],
                fields=values if position is None else None,
                position=position,
                position_fields=values if position is not None else None,
            )
        except ValidationError as error:
            _apply_errors([notice, fields_form], error)
        else:
            messages.success(
                request,
                _("%(kind)s已发布，变更 %(changes)d 项，已通知 %(people)d 位报考人员。")
                % {
                    "kind": correction.get_kind_display(),
                    "changes": len(correction.changes),
                    "people": correction.notified_count,
                },
            )
            return redirect("recruitment:manage_detail", pk=pk)
    return render(
        request,
        "recruitment/manage/correction_form.html",
        {
            "announcement": announcement,
            "position": position,
            "notice": notice,
            "fields_form": fields_form,
            "positions": announcement.positions.order_by("code").only("pk", "code", "name"),
        },
        status=400 if request.method == "POST" else 200,
    )
