"""The Redis fault drill of issue 14, in CI: one redis-server of our own is the cache, the
session store and the Celery broker of a real gunicorn (two worker processes) on the test
database. Redis stops (its snapshot keeps the keys of before); during the outage an
applicant signs in and submits, a reviewer opens the queue and decides, the public pages
render; Redis comes back with its stale keys, the counts are right again and the sweeper
hands each pending message to a real worker, which sends it exactly once.
"""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connection

from applicants.models import Application, Stage
from notifications.models import Delivery
from notifications.sms import LocmemSmsBackend
from notifications.tasks import sweep_unsent
from portal import queue
from portal.celery import app
from tests.applicants.factories import ApplicationFactory, ProfileFactory, assign
from tests.factories import UserFactory
from tests.portal.conftest import free_port
from tests.recruitment.factories import PositionFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
PASSWORD = "Secret#2026"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Portal:
    """gunicorn serving portal.wsgi with the drill's environment."""

    def __init__(self, redis_url: str, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.portal.drill_settings",
            "PYTHONPATH": str(BASE_DIR),
            "DATABASE_URL": _database_url(),
            "CONN_MAX_AGE": "0",
            "REDIS_URL": redis_url,
            "SECRET_KEY": "drill-" + "k" * 60,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "ACCOUNT_PHONE_VERIFICATION_ENABLED": "false",
            "PRIVATE_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "LOG_LEVEL": "WARNING",
        }
        env.pop("CELERY_BROKER_URL", None)
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
            ]
            + ["--workers", "2", "--timeout", "30", "--graceful-timeout", "2", "--no-control-socket"],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not start: {log.read_text()[-3000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture
def portal(needs_postgres, redis_server, tmp_path):
    server = Portal(redis_server.url(0), tmp_path / "gunicorn.log")
    yield server
    server.stop()
    log = (tmp_path / "gunicorn.log").read_text()
    # Outages are logged as warnings (with the broker's traceback); never a server error.
    assert "Internal Server Error" not in log and "[ERROR]" not in log, log[-5000:]


def _csrf(response: requests.Response) -> str:
    found = _CSRF.search(response.text)
    assert found, response.text[:500]
    return found.group(1)


def _sign_in(portal: Portal, user) -> requests.Session:
    browser = requests.Session()
    form = browser.get(f"{portal.url}/accounts/login/", timeout=10)
    assert form.status_code == 200
    response = browser.post(
        f"{portal.url}/accounts/login/",
        {"csrfmiddlewaretoken": _csrf(form), "login": user.email, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:1000]
    return browser


def _health(portal: Portal, **params) -> requests.Response:
    return requests.get(f"{portal.url}/healthz", params=params, timeout=5)


def _wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError(what)


def test_the_portal_keeps_serving_while_redis_is_down(portal, redis_server):
    position = PositionFactory()  # registration open: opened yesterday, closes in 5 days
    announcement = position.announcement
    applicant = ProfileFactory().user
    reviewer = UserFactory(role="reviewer")
    assign(reviewer, announcement)
    waiting = ApplicationFactory(position=position)  # already submitted, to be decided

    # Before: all up; the reviewer signs in, pages and counters are cached in Redis.
    assert _health(portal, strict=1).json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
    }
    staff = _sign_in(portal, reviewer)
    queue_url = f"{portal.url}/review/?announcement={announcement.pk}"
    assert staff.get(queue_url, timeout=10).status_code == 200
    assert requests.get(f"{portal.url}/announcements/{announcement.pk}/", timeout=10).status_code == 200

    redis_server.stop(save=True)  # it comes back with these keys: stale by then

    health = _health(portal)
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "down", "broker": "down"}
    assert _health(portal, strict=1).status_code == 503

    # An applicant signs in and submits: the row is committed, its messages wait.
    browser = _sign_in(portal, applicant)
    apply_url = f"{portal.url}/me/apply/{position.pk}/"
    form = browser.get(apply_url, timeout=10)
    assert form.status_code == 200
    submitted = browser.post(
        apply_url,
        {"csrfmiddlewaretoken": _csrf(form), "declaration": "on"},
        allow_redirects=False,
        timeout=10,
    )
    assert submitted.status_code == 302, submitted.text[:1000]
    application = Application.objects.get(applicant=applicant)
    assert application.stage == Stage.SUBMITTED
    assert browser.get(f"{portal.url}{submitted.headers['Location']}", timeout=10).status_code == 200

    # The reviewer, signed in before the outage, is still signed in: queue, then a decision.
    page = staff.get(queue_url, timeout=10)
    assert page.status_code == 200 and applicant.profile.real_name in page.text
    detail_url = f"{portal.url}/review/applications/{waiting.pk}/"
    detail = staff.get(detail_url, timeout=10)
    assert detail.status_code == 200
    version = re.search(r'name="version" value="(\d+)"', detail.text).group(1)
    decided = staff.post(
        detail_url,
        {"csrfmiddlewaretoken": _csrf(detail), "decision": "approve", "version": version},
        allow_redirects=False,
        timeout=10,
    )
    assert decided.status_code == 302, decided.text[:1000]
    waiting.refresh_from_db()
    assert waiting.stage == Stage.APPROVED

    # Public pages render for anonymous visitors.
    for path in ("/", "/announcements/", f"/announcements/{announcement.pk}/"):
        response = requests.get(f"{portal.url}{path}", timeout=10)
        assert response.status_code == 200, path
    assert announcement.title in response.text

    pending = list(Delivery.objects.values_list("pk", "channel", "status"))
    assert pending and {status for _, _, status in pending} == {"pending"}

    # Redis returns with the keys of before the outage.
    redis_server.start()
    assert redis_server.client().dbsize() > 1
    _wait_until(lambda: _health(portal).json()["status"] == "ok", 10, "the portal did not see Redis again")

    # The counts are right again: the snapshot's keys (1 submitted, 0 approved) are not read.
    tabs = _wait_until(lambda: _stage_tabs(staff, queue_url), 10, "no queue page")
    assert (tabs[str(Stage.SUBMITTED.label)], tabs[str(Stage.APPROVED.label)]) == (1, 1), tabs

    # The sweeper hands every pending message to a real worker: each sent exactly once.
    _deliver_pending(redis_server.url(0), expected=len(pending))


def _stage_tabs(browser: requests.Session, url: str) -> dict[str, int] | None:
    """The queue's per-stage counts, by stage label, as its tabs show them."""
    page = browser.get(url, timeout=10)
    if page.status_code != 200:
        return None
    found = re.findall(r'>([^<>]+?) <span class="badge text-bg-secondary">(\d+)</span>', page.text)
    return {label: int(count) for label, count in found} or None


def _reset_celery() -> None:
    """Forget pooled and kept broker connections and cached routes: new conf takes effect."""
    app._pool = None
    queue.drop_connection()
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


def _deliver_pending(broker_url: str, *, expected: int) -> None:
    # A queue of our own, whatever routes and workers other tests left behind.
    own_queue = f"drill-{uuid.uuid4().hex[:8]}"
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_routes")}
    app.conf.update(
        broker_url=broker_url, task_always_eager=False, task_routes={"notifications.*": {"queue": own_queue}}
    )
    _reset_celery()
    mail.outbox = []
    LocmemSmsBackend.outbox.clear()
    try:
        with (
            pytest.MonkeyPatch.context() as patch,
            start_worker(app, perform_ping_check=False, loglevel="WARNING", pool="solo", queues=[own_queue]),
        ):
            patch.setattr(settings, "SMS_BACKEND", "notifications.sms.LocmemSmsBackend")
            assert sweep_unsent(older_than_minutes=0)["deliveries"] == expected
            deadline = time.monotonic() + 30
            while Delivery.objects.filter(status="sent").count() < expected and time.monotonic() < deadline:
                time.sleep(0.2)
            sent = list(Delivery.objects.values_list("channel", "status", "last_error"))
            assert all(status == "sent" for _, status, _ in sent), sent
            assert sweep_unsent(older_than_minutes=0)["deliveries"] == 0  # nothing left to send
            time.sleep(1)  # a duplicate, had there been one, would have arrived by now
    finally:
        app.conf.update(saved)
        _reset_celery()
    emails = Delivery.objects.filter(channel="email").count()
    texts = Delivery.objects.filter(channel="sms").count()
    assert len(mail.outbox) == emails and len(LocmemSmsBackend.outbox) == texts
    assert emails + texts == expected
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
