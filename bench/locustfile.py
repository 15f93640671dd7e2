"""Locust scenarios for bench/run.sh.

Phases pick user classes on the command line (locust -f bench/locustfile.py CLASS ...):

- TrivialUser: only /bench/trivial (the framework's ceiling on this machine).
- DetailUser, ListUser, QueueUser, StatusUser: one endpoint each, saturated, for the
  ratio to the trivial view (same Locust client, same users, so it is apples to apples).
- TicketUser: the ticket surge (issue 15): each user signed in once as its own ticket
  holder downloads its admission ticket PDF again and again, no think time.
- TicketColdUser: first downloads only, each request another holder's ticket (sessions from
  bench/ticket_run.sh), no think time.
- AnonymousVisitor + Applicant + Reviewer + TicketHolder: the realistic mix of the last
  evening, with applicants of the earlier recruitment printing their tickets.
- ScoreUser (saturation) and ScoreHolder (in the mix): results day (issue 16), candidates
  of the scored announcement (bench/score_dataset.py) reading their published scores
  (bench/score_run.sh).

Every Applicant user takes a fresh account from the pool (bench-p<N>@bench.cn, a complete
profile and no application), logs in with CSRF, applies exactly once and then follows
its status page. Successful submits are written to $BENCH_OUT/submits.json at test stop,
for bench/check.py to compare with the database; the ticket PDFs' sizes (with and without
a photo) to $BENCH_OUT/tickets-<phase>.json.
"""

import itertools
import json
import os
import random
import re
import threading
from pathlib import Path

from locust import FastHttpUser, between, constant, events, task

OUT = Path(os.environ.get("BENCH_OUT", Path(__file__).resolve().parent / "out"))
DATASET = json.loads((OUT / "dataset.json").read_text()) if (OUT / "dataset.json").exists() else {}
ANNOUNCEMENT = int(os.environ.get("BENCH_ANNOUNCEMENT", DATASET.get("announcement_id", 1)))
PASSWORD = DATASET.get("password", "Bench@2026pass")
POOL = int(DATASET.get("pool", 2000))
APPLICANTS = int(DATASET.get("applicants", 50000))
REVIEWERS = int(DATASET.get("reviewers", 20))
POSITION_IDS = DATASET.get("position_ids") or list(range(1, 201))
# Think time of the realistic mix (seconds); the saturation phases have none.
THINK = (float(os.environ.get("BENCH_THINK_MIN", 0.5)), float(os.environ.get("BENCH_THINK_MAX", 2.0)))
# Where the pool starts for this run (run.sh passes a different offset per phase).
POOL_OFFSET = int(os.environ.get("BENCH_POOL_OFFSET", 0))

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_pool_counter = itertools.count(POOL_OFFSET)
_reviewer_counter = itertools.count()
_lock = threading.Lock()
SUBMITS: list[dict] = []  # successful submits: {"email", "position"}
SUBMIT_FAILURES: list[dict] = []
ALREADY_APPLIED: list[str] = []  # pool accounts that applied in an earlier run on this database
# The ticket holders of the dataset: [email, application id, has a photo].
TICKET_HOLDERS = DATASET.get("tickets", {}).get("holders", [])
HAS_PHOTO = {application: photo for _email, application, photo in TICKET_HOLDERS}
_ticket_counter = itertools.count(int(os.environ.get("BENCH_TICKET_OFFSET", 50)))
TICKET_SIZES: dict[str, list[int]] = {"photo": [], "no photo": []}


def csrf_of(html: str) -> str | None:
    match = CSRF.search(html or "")
    return match.group(1) if match else None


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)

    def login(self, email: str) -> bool:
        with self.client.get("/accounts/login/", name="login form", catch_response=True) as page:
            token = csrf_of(page.text)
            if not token:
                page.failure("no CSRF token on the login form")
                return False
        with self.client.post(
            "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "/accounts/login/" in (response.url or ""):
                response.failure(f"login failed for {email}: {response.status_code} {response.url}")
                return False
        return True


# --- One endpoint each (saturation phases) ---------------------------------------------


class TrivialUser(PortalUser):
    @task
    def trivial(self):
        self.client.get("/bench/trivial", name="trivial view")


class DetailUser(PortalUser):
    @task
    def detail(self):
        self.client.get(f"/announcements/{ANNOUNCEMENT}/", name="announcement detail")


class ListUser(PortalUser):
    @task
    def listing(self):
        self.client.get("/announcements/", name="announcement list")


SESSIONS = DATASET.get("sessions", {"reviewers": [], "applicants": []})


def use_session(user: FastHttpUser, key: str):
    """Sign in with a session the dataset builder created (no Argon2 login per user)."""
    from http.cookiejar import Cookie

    user.client.cookiejar.set_cookie(
        Cookie(
            0,
            "sessionid",
            key,
            None,
            False,
            "127.0.0.1",
            False,
            False,
            "/",
            True,
            False,
            None,
            False,
            None,
            None,
            {},
        )
    )


class QueueUser(PortalUser):
    def on_start(self):
        sessions = SESSIONS["reviewers"]
        use_session(self, sessions[next(_reviewer_counter) % len(sessions)])

    @task
    def queue(self):
        self.client.get(
            f"/review/?announcement={ANNOUNCEMENT}&stage=submitted&page={random.randint(1, 50)}",
            name="review queue",
        )


class StatusUser(PortalUser):
    def on_start(self):
        entries = SESSIONS["applicants"]
        entry = entries[next(_reviewer_counter) % len(entries)]
        use_session(self, entry["session"])
        self.application = entry["application"]

    @task
    def status(self):
        self.client.get(f"/me/applications/{self.application}/", name="status page")


def download_ticket(user: FastHttpUser, application: int) -> None:
    """GET the applicant's own ticket PDF; anything but a PDF is a failure (a redirect back
    to the application page means the window or the stage refused it)."""
    with user.client.get(
        f"/exams/applications/{application}/ticket.pdf",
        name="ticket pdf",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        body = response.content or b""
        kind = (response.headers or {}).get("Content-Type", "")
        if response.status_code != 200 or not body.startswith(b"%PDF") or kind != "application/pdf":
            response.failure(f"no ticket PDF: {response.status_code} {kind}")
            return
        with _lock:
            TICKET_SIZES["photo" if HAS_PHOTO.get(application, True) else "no photo"].append(len(body))


class TicketUser(PortalUser):
    """Saturation: signed in once (a session of its own ticket holder), then its own ticket
    PDF again and again."""

    def on_start(self):
        entries = SESSIONS.get("ticket_holders") or []
        entry = entries[next(_reviewer_counter) % len(entries)]
        use_session(self, entry["session"])
        self.application = entry["application"]

    @task
    def ticket(self):
        download_ticket(self, self.application)


# Sessions of every ticket holder (bench/ticket_run.sh writes them), for first downloads.
_COLD_SESSIONS = (
    json.loads((OUT / "ticket_sessions.json").read_text()) if (OUT / "ticket_sessions.json").exists() else []
)
_cold_counter = itertools.count()


class TicketColdUser(PortalUser):
    """Saturation of first downloads: each request is another ticket holder's first print
    (the holder's session, a ticket nobody downloaded in this run), so no stored rendering
    helps: what the morning the window opens looks like."""

    @task
    def ticket(self):
        index = next(_cold_counter)
        if index >= len(_COLD_SESSIONS):  # every ticket of this run's slice downloaded
            from locust.exception import StopUser

            raise StopUser()
        entry = _COLD_SESSIONS[index]
        self.client.cookiejar.clear()
        use_session(self, entry["session"])
        download_ticket(self, entry["application"])


# --- The realistic mix ------------------------------------------------------------------


class AnonymousVisitor(PortalUser):
    weight = 5
    wait_time = between(*THINK)

    @task(1)
    def listing(self):
        self.client.get("/announcements/", name="announcement list")

    @task(3)
    def detail(self):
        self.client.get(f"/announcements/{ANNOUNCEMENT}/", name="announcement detail")


class Applicant(PortalUser):
    """A fresh pool account: log in, read the announcement, apply once, follow the status."""

    weight = 3
    wait_time = between(*THINK)

    def on_start(self):
        self.start_account()

    def start_account(self):
        index = next(_pool_counter)
        self.email = f"bench-p{index}@bench.cn" if index < POOL else None
        self.applied = False
        self.application = None
        self.status_views = 0
        self.logged_in = bool(self.email) and self.login(self.email)

    @task
    def journey(self):
        if not self.logged_in:
            return
        if not self.applied:
            self.client.get(f"/announcements/{ANNOUNCEMENT}/", name="announcement detail")
            self.apply()
            self.applied = True
            return
        self.status()
        self.status_views += 1
        if self.status_views >= 3:  # done: the next person in the queue takes the seat
            self.client.cookiejar.clear()
            self.start_account()

    def apply(self):
        """The apply flow; filled in from applicants/urls.py (see apply_flow)."""
        apply_flow(self)

    def status(self):
        status_flow(self)


class Reviewer(PortalUser):
    weight = 2
    wait_time = between(*THINK)

    def on_start(self):
        self.index = next(_reviewer_counter) % REVIEWERS
        self.login(f"bench-r{self.index}@bench.cn")

    @task(3)
    def queue(self):
        page = random.randint(1, 20)
        self.client.get(
            f"/review/?announcement={ANNOUNCEMENT}&stage=submitted&page={page}", name="review queue"
        )

    @task(1)
    def queue_filtered(self):
        self.client.get(
            f"/review/?announcement={ANNOUNCEMENT}&stage=submitted&outcome=passed&q=王",
            name="review queue search",
        )

    @task(3)
    def decide(self):
        # Each reviewer works on its own slice of the queue, so two do not race for one row
        # (they may still; the version check then answers with a message, not a 5xx).
        page = self.client.get(
            f"/review/?announcement={ANNOUNCEMENT}&stage=submitted&page={self.index + 1}", name="review queue"
        )
        ids = re.findall(r'href="/review/applications/(\d+)/', page.text or "")
        if not ids:
            return
        pk = random.choice(ids)
        detail = self.client.get(f"/review/applications/{pk}/", name="review application")
        token = csrf_of(detail.text)
        version = re.search(r'name="version" value="(\d+)"', detail.text or "")
        if not token or not version:
            return  # already decided by someone else
        decision = random.choice(["approve", "approve", "approve", "return"])
        data = {"csrfmiddlewaretoken": token, "decision": decision, "version": version.group(1)}
        if decision == "return":
            data["instructions"] = "请补充上传毕业证书扫描件。"
        with self.client.post(
            f"/review/applications/{pk}/",
            data=data,
            headers={"Referer": f"{self.host}/review/applications/{pk}/"},
            name="review decision",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code >= 400:
                response.failure(f"decision {response.status_code}")


class TicketHolder(PortalUser):
    """An applicant of the earlier recruitment, printing window open: logs in, opens the
    application page (session, venue, the print button), downloads the ticket, and prints
    it once more a little later; then the next holder takes the seat."""

    weight = 2
    wait_time = between(*THINK)

    def on_start(self):
        self.start_account()

    def start_account(self):
        index = next(_ticket_counter)
        self.holder = TICKET_HOLDERS[index] if index < len(TICKET_HOLDERS) else None
        self.downloads = 0
        self.logged_in = bool(self.holder) and self.login(self.holder[0])
        self.page_seen = False

    @task
    def journey(self):
        if not self.logged_in:
            return
        application = self.holder[1]
        if not self.page_seen:
            self.client.get(f"/me/applications/{application}/", name="application page (ticket holder)")
            self.page_seen = True
            return
        download_ticket(self, application)
        self.downloads += 1
        if self.downloads >= 2:
            self.client.cookiejar.clear()
            self.start_account()


# --- Results day (issue 16): the score query of a published announcement -----------------

SCORES = DATASET.get("scores", {})
# [email, application id]; a dataset built before 14:05 on 2026-11-30 had bench-admin first.
SCORE_HOLDERS = [h for h in SCORES.get("holders", []) if not h[0].startswith("bench-admin")]
_score_counter = itertools.count(int(os.environ.get("BENCH_SCORE_OFFSET", 0)))


def score_query(user: FastHttpUser) -> None:
    """The score query page (成绩查询, the link of the 成绩已公布 notice): 200 with a score."""
    with user.client.get("/exams/scores/", name="score query", catch_response=True) as response:
        if response.status_code != 200 or "score-card" not in (response.text or ""):
            response.failure(f"no score on the score query: {response.status_code}")


class ScoreUser(PortalUser):
    """Saturation: signed in once (a session of its own candidate), then the score query
    again and again."""

    def on_start(self):
        entries = SCORES.get("sessions") or []
        entry = entries[next(_score_counter) % len(entries)]
        use_session(self, entry["session"])

    @task
    def scores(self):
        score_query(self)


class ScoreHolder(PortalUser):
    """Results day in the mix: a candidate logs in, opens the score query, then its score's
    page (details, the review request form), looks once more, and the next one takes the seat."""

    weight = 2
    wait_time = between(*THINK)

    def on_start(self):
        self.start_account()

    def start_account(self):
        index = next(_score_counter)
        self.holder = SCORE_HOLDERS[index] if index < len(SCORE_HOLDERS) else None
        self.views = 0
        self.logged_in = bool(self.holder) and self.login(self.holder[0])

    @task
    def journey(self):
        if not self.logged_in:
            return
        if self.views == 1:
            self.client.get(f"/exams/scores/{self.holder[1]}/", name="score detail")
        else:
            score_query(self)
        self.views += 1
        if self.views >= 3:
            self.client.cookiejar.clear()
            self.start_account()


# --- Apply and status (applicants/urls.py under /me/) -----------------------------------

APPLICATION_URL = re.compile(r"/me/applications/(\d+)/$")


def apply_flow(user: Applicant):
    """GET the apply page (eligibility preview, CSRF), POST the declaration. Success is the
    redirect to the new application's page; that page is then read as the status page."""
    position = random.choice(POSITION_IDS)
    page = user.client.get(f"/me/apply/{position}/", name="apply form")
    token = csrf_of(page.text)
    if not token:
        with _lock:
            SUBMIT_FAILURES.append({"email": user.email, "why": f"apply form {page.status_code}"})
        return
    with user.client.post(
        f"/me/apply/{position}/",
        data={"csrfmiddlewaretoken": token, "declaration": "on"},
        headers={"Referer": f"{user.host}/me/apply/{position}/"},
        allow_redirects=False,
        name="apply submit",
        catch_response=True,
    ) as response:
        location = response.headers.get("Location", "") if response.headers else ""
        match = APPLICATION_URL.search(location)
        if response.status_code == 302 and match:
            user.application = int(match.group(1))
            with _lock:
                SUBMITS.append({"email": user.email, "position": position, "application": user.application})
            response.success()
        else:
            with _lock:
                SUBMIT_FAILURES.append({"email": user.email, "why": f"{response.status_code} {location}"})
            response.failure(f"submit not accepted: {response.status_code} {location}")
            return
    with user.client.get(
        f"/me/applications/{user.application}/", name="status page", catch_response=True
    ) as status:
        text = status.text or ""
        if "您已报名该招聘公告" in text:
            # A pool account that applied in an earlier run on the same database
            # (BENCH_SKIP_BUILD=1): the portal sent it to its application, as it should.
            with _lock:
                ALREADY_APPLIED.append(user.email)
        elif "报名已提交" not in text:
            status.failure("no confirmation message after submit")


def status_flow(user: Applicant):
    if getattr(user, "application", None):
        user.client.get(f"/me/applications/{user.application}/", name="status page")
    else:
        user.client.get("/me/applications/", name="my applications")


@events.test_stop.add_listener
def write_submits(environment, **kwargs):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"submits-{os.environ.get('BENCH_PHASE', 'run')}.json"
    path.write_text(
        json.dumps(
            {"submits": SUBMITS, "failures": SUBMIT_FAILURES, "already_applied": ALREADY_APPLIED},
            ensure_ascii=False,
        )
    )
    if any(TICKET_SIZES.values()):
        (OUT / f"tickets-{os.environ.get('BENCH_PHASE', 'run')}.json").write_text(
            json.dumps(
                {
                    kind: {
                        "count": len(sizes),
                        "min": min(sizes),
                        "max": max(sizes),
                        "mean": sum(sizes) / len(sizes),
                    }
                    for kind, sizes in TICKET_SIZES.items()
                    if sizes
                }
            )
        )
    times = os.times()  # Locust's own CPU, for the CPU shares in RESULTS.md
    (OUT / f"cpu-locust-{os.environ.get('BENCH_PHASE', 'run')}.json").write_text(
        json.dumps({"seconds": times.user + times.system})
    )
