"""Tell an applicant about their application, through the notifications outbox.

Call inside the transaction of the state change: the notification row commits (or rolls
back) with it, and delivery is enqueued after commit by notifications.services.notify.
"""

import logging

logger = logging.getLogger(__name__)


def notify_applicant(application, event: str, *, dedupe_key: str | None = None, **context) -> None:
    try:
        from notifications.services import notify
    except ModuleNotFoundError as error:  # the notifications app is being built alongside
        if error.name != "notifications.services":
            raise
        logger.warning(
            "notifications.services missing: %s for application %s not recorded", event, application.pk
        )
        return

    context.setdefault("announcement_title", application.announcement.title)
    context.setdefault("position_name", f"{application.position.code} {application.position.name}")
    context.setdefault("application_id", application.pk)
    notify(
        recipient=application.applicant,
        event=event,
        context=context,
        dedupe_key=dedupe_key or f"application:{application.pk}:v{application.version}:{event}",
    )
