"""The 加试 score gets one home: exams.ExtraTestResult. Before this, hiring kept the 加试 of a
tie reached by a backfill (递补) or at the proposal of a position in Proposal.extra_test_score,
beside the ranking's ExtraTestResult. This copies every such score into ExtraTestResult (the
next migration removes the field).

- Who entered it and when come from the proposal's audit record of that 加试 (the LogEntry
  whose change names the field 加试成绩); without one, the proposal's proposer and now.
- Where the candidate already has an ExtraTestResult with another score, hiring's score
  replaces it: hiring's proposals (won, lost) were decided on it, so it is the score that
  stands; the replaced score is named in the audit record.
- Each copied score gets an audit record (Django admin history of the ExtraTestResult).
Backwards: nothing is copied back (the scores stay in ExtraTestResult; the restored field is
empty)."""

from django.db import migrations

FIELD_LABEL = "加试成绩"  # Proposal.extra_test_score's verbose name, as audit.record wrote it
ADDITION, CHANGE = 1, 2  # django.contrib.admin.models


def _entered(apps, proposal_pks):
    """proposal pk → (user id, time) of the latest audit record of its 加试 score."""
    LogEntry = apps.get_model("admin", "LogEntry")  # noqa: N806
    ContentType = apps.get_model("contenttypes", "ContentType")  # noqa: N806
    proposal_type = ContentType.objects.filter(app_label="hiring", model="proposal").first()
    if proposal_type is None:
        return {}
    entered = {}
    entries = LogEntry.objects.filter(
        content_type=proposal_type,
        action_flag=CHANGE,
        object_id__in=[str(pk) for pk in proposal_pks],
        change_message__contains=FIELD_LABEL,
    ).order_by("action_time", "pk")
    for entry in entries:
        entered[int(entry.object_id)] = (entry.user_id, entry.action_time)
    return entered


def forwards(apps, schema_editor):
    Proposal = apps.get_model("hiring", "Proposal")  # noqa: N806
    Result = apps.get_model("exams", "ExtraTestResult")  # noqa: N806
    LogEntry = apps.get_model("admin", "LogEntry")  # noqa: N806
    ContentType = apps.get_model("contenttypes", "ContentType")  # noqa: N806
    rows = list(
        Proposal.objects.filter(extra_test_score__isnull=False)
        .order_by("pk")
        .values_list("pk", "application_id", "announcement_id", "extra_test_score", "proposed_by_id")
    )
    if not rows:
        return
    entered = _entered(apps, [pk for pk, *_rest in rows])
    result_type, _created = ContentType.objects.get_or_create(app_label="exams", model="extratestresult")
    existing = {r.application_id: r for r in Result.objects.filter(application_id__in=[r[1] for r in rows])}
    for pk, application_id, announcement_id, score, proposed_by_id in rows:
        user_id, when = entered.get(pk, (proposed_by_id, None))
        old = existing.get(application_id)
        if old is not None and old.score == score:
            continue
        result, created = Result.objects.update_or_create(
            application_id=application_id,
            defaults={"announcement_id": announcement_id, "score": score, "entered_by_id": user_id},
        )
        if when is not None:  # entered_at is auto_now: set after the save
            Result.objects.filter(pk=result.pk).update(entered_at=when)
        message = f"迁移：拟录用记录（{pk}）中的加试成绩 {score}"
        if old is not None:
            message += f"，取代原加试成绩 {old.score}"
        LogEntry.objects.create(
            user_id=user_id,
            content_type=result_type,
            object_id=str(result.pk),
            object_repr=f"{application_id}: {score}"[:200],
            action_flag=ADDITION if created else CHANGE,
            change_message=message,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0001_initial"),
        ("exams", "0007_ranking_versions"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
