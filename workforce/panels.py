"""The panel workforce adds to a hired applicant's application page: a way to their own
worker pages (applicants.panels; applicants imports nothing of workforce)."""

from django.template.loader import render_to_string

from .models import Worker


def worker_panel(request, application) -> str:
    if application.stage != "hired":  # no query on the pages of everyone not hired
        return ""
    worker = (
        Worker.objects.filter(application=application, user_id=request.user.pk).only("pk", "status").first()
    )
    if worker is None:
        return ""
    return render_to_string("workforce/_application_panel.html", {"worker": worker}, request=request)
