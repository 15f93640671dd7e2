"""Profile one page in-process with pyinstrument (a dev tool: pip install pyinstrument).

DATABASE_URL=... python bench/profile_view.py URL [EMAIL]   (EMAIL: log in as that user)
Prints the page's queries and pyinstrument's call tree of 20 renders.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pyinstrument import Profiler  # noqa: E402


def main():
    url = sys.argv[1]
    client = Client()
    if len(sys.argv) > 2:
        from accounts.models import User

        client.force_login(User.objects.get(email=sys.argv[2]))
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(
        f"{url}: {response.status_code}, {len(response.content):,} bytes, {elapsed * 1000:.1f} ms, "
        f"{len(queries.captured_queries)} queries ({sql_ms:.1f} ms SQL)"
    )
    for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(20):
        client.get(url)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
