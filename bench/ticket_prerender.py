"""Run the job issuing queues (exams.services.tickets.pdfs_run) in-process over the bench
ticket announcement and time it: every holder's PDF stored, as before a window opens.

python bench/ticket_prerender.py DATASET.json OUT.json   (from bench/ticket_run.sh)
"""

import json
import os
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from exams.models import ExamPlan  # noqa: E402
from exams.services import tickets  # noqa: E402
from portal.models import BackgroundJob  # noqa: E402


def main():
    with open(sys.argv[1]) as handle:
        dataset = json.load(handle)
    plan = ExamPlan.objects.select_related("announcement").get(
        announcement_id=dataset["tickets"]["announcement_id"]
    )
    job = BackgroundJob.objects.create(
        kind=tickets.RENDER_KIND,
        created_by=plan.issued_by or plan.announcement.created_by,
        announcement_id=plan.announcement_id,
        params={"plan": plan.pk},
        total=tickets._printable(plan).count(),
    )
    load = os.getloadavg()[0]
    started = time.perf_counter()
    job = tickets.pdfs_run(job)
    seconds = time.perf_counter() - started
    result = {"seconds": seconds, "status": job.status, "done": job.done, "load_before": load}
    result["load_after"] = os.getloadavg()[0]
    with open(sys.argv[2], "w") as handle:
        json.dump(result, handle)
    print(f"   prerendered {job.done} tickets in {seconds:.1f} s ({job.status}), load {load:.1f}")


if __name__ == "__main__":
    main()
