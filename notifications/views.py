"""Inbox pages for everyone signed in; template and mass-notice pages for administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role

from . import selectors, services
from .events import CONTEXT_KEYS, SAMPLE_CONTEXT, Event
from .forms import MassNoticeForm, MessageTemplateForm
from .models import Channel, MassNotice
from .rendering import InvalidTemplate
from .rendering import render as render_message
from .selectors import LANGUAGE_CODES

PAGE_SIZE = 20


@login_required
def inbox(request):
    page = Paginator(selectors.inbox_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
def detail(request, pk: int):
    notification = selectors.notification_for(user=request.user, pk=pk)
    # Opening a message is reading it; the update only touches the reader's own row.
    services.notification_mark_read(user=request.user, notification=notification)
    return render(request, "notifications/detail.html", {"notification": notification})


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = selectors.notification_for(user=request.user, pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(count)s 条消息标为已读。") % {"count": count})
    return redirect("notifications:inbox")


# --- Templates (administrators) ---------------------------------------------------------


def _event_or_404(event: str, language: str) -> Event:
    if event not in Event.values or language not in LANGUAGE_CODES:
        raise Http404
    return Event(event)


@role_required(Role.ADMINISTRATOR)
def templates(request):
    return render(request, "notifications/templates.html", {"events": selectors.templates_overview()})


@role_required(Role.ADMINISTRATOR)
def template_edit(request, event: str, language: str):
    event = _event_or_404(event, language)
    if request.method == "POST" and "reset" in request.POST:
        services.message_template_reset(event=event, language=language, user=request.user)
        messages.success(request, _("已恢复默认文字。"))
        return redirect("notifications:template_edit", event=event.value, language=language)
    if request.method == "POST":
        form = MessageTemplateForm(request.POST)
        if form.is_valid():
            services.message_template_save(
                event=event, language=language, user=request.user, **form.cleaned_data
            )
            messages.success(request, _("消息模板已保存。"))
            return redirect("notifications:templates")
    else:
        subject, body = selectors.wording_for(event=event, language=language)
        form = MessageTemplateForm(initial={"subject": subject, "body": body})
    context = {"form": form, "event": event, "language": language, "keys": CONTEXT_KEYS[event]}
    return render(request, "notifications/template_edit.html", context)


@role_required(Role.ADMINISTRATOR)
@require_POST
def template_preview(request, event: str, language: str):
    event = _event_or_404(event, language)
    form = MessageTemplateForm(request.POST)
    preview = None
    if form.is_valid():
        try:
            subject, body = render_message(
                language=language, context=SAMPLE_CONTEXT, recipient_name=_("张三"), **form.cleaned_data
            )
            preview = {"subject": subject, "body": body}
        except InvalidTemplate:  # pragma: no cover - the form has checked the syntax
            preview = None
    return render(request, "notifications/partials/preview.html", {"form": form, "preview": preview})


# --- Mass notices (administrators) ------------------------------------------------------


@role_required(Role.ADMINISTRATOR)
def mass_list(request):
    page = Paginator(selectors.mass_notices(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/mass_list.html", {"page": page})


@role_required(Role.ADMINISTRATOR)
def mass_new(request):
    """Compose (step 1), confirm with the recipients in words and their number (step 2),
    send. The confirmation carries the count it showed: if the audience has changed since,
    the sender confirms again."""
    form = MassNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        step = request.POST.get("step")
        if step == "send":
            if request.POST.get("confirmed_count") == str(data["recipient_count"]):
                notice = services.mass_notice_create(
                    author=request.user,
                    audience=data["audience"],
                    params=data["params"],
                    audience_text=data["audience_text"],
                    subject=data["subject"],
                    body=data["body"],
                    channels=data["channels"],
                )
                messages.success(
                    request, _("群发通知已提交，共 %(count)s 人。") % {"count": data["recipient_count"]}
                )
                return redirect("notifications:mass_detail", pk=notice.pk)
            messages.warning(
                request,
                _("接收人数已变为 %(count)s 人，请再次确认。") % {"count": data["recipient_count"]},
            )
        if step != "edit":
            channel_labels = [label for value, label in Channel.choices if value in data["channels"]]
            context = {"form": form, "data": data, "channel_labels": channel_labels}
            return render(request, "notifications/mass_confirm.html", context)
    return render(request, "notifications/mass_new.html", {"form": form})


@role_required(Role.ADMINISTRATOR)
def mass_detail(request, pk: int):
    notice = get_object_or_404(selectors.mass_notices(), pk=pk)
    return render(request, "notifications/mass_detail.html", {"notice": notice})


@role_required(Role.ADMINISTRATOR)
def mass_progress(request, pk: int):
    notice = get_object_or_404(MassNotice, pk=pk)
    return render(request, "notifications/partials/mass_progress.html", {"notice": notice})
