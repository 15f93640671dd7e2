"""Run by tests/applicants/test_sqlite_concurrency.py in a process of its own, on a file
SQLite database (the embedded default: DATABASE_URL=sqlite:///…): two requests submit the
same applicant's application at the same moment through the apply page. Prints JSON: each
request's status code and where it led, and the applications stored.

Each submission is slowed inside its transaction (after reading the profile, before
writing) so that the two transactions overlap every time."""

import json
import os
import sys
import threading
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402


class _NoMigrations(dict):
    """Tables straight from the models (as pytest --nomigrations): seconds, not a minute."""

    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


def main() -> None:
    from django.conf import settings

    if "--deferred" in sys.argv:  # SQLite's default mode, to see the failure this guards against
        connection.settings_dict["OPTIONS"].pop("transaction_mode", None)
    settings.MIGRATION_MODULES = _NoMigrations()
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    from tests.conftest import _restore_reference_data

    _restore_reference_data()  # what the data migrations would have written
    from applicants import services, snapshot
    from applicants.models import Application
    from tests.applicants.factories import ProfileFactory
    from tests.recruitment.factories import AnnouncementFactory, PositionFactory

    announcement = AnnouncementFactory()
    position = PositionFactory(announcement=announcement)
    user = ProfileFactory().user
    real_build = snapshot.build_snapshot

    def slow_build(profile):  # inside the submission's transaction, after its first read
        time.sleep(0.3)
        return real_build(profile)

    services.build_snapshot = slow_build
    connection.close()
    barrier = threading.Barrier(2)
    results = []

    def submit() -> None:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        barrier.wait(10)
        try:
            response = client.post(reverse("applicants:apply", args=[position.pk]), {"declaration": "on"})
            results.append({"status": response.status_code, "location": response.get("Location", "")})
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    stored = list(Application.objects.filter(applicant=user).values_list("pk", "stage"))
    print(
        json.dumps(
            {
                "transaction_mode": connection.settings_dict["OPTIONS"].get("transaction_mode"),
                "results": results,
                "applications": stored,
                "url": reverse("applicants:application", args=[stored[0][0]]) if stored else "",
            }
        )
    )


if __name__ == "__main__":
    main()
