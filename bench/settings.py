"""Production settings (portal.settings) with one change for the benchmark.

Locust logs in thousands of accounts from one address (127.0.0.1) within a minute.
allauth's per-address login rate limit (30 a minute) would answer most of them with 429,
which a real surge spread over many addresses would not meet; so it is off here. The
per-account lockout (axes) stays on. Everything else is exactly the production settings.
"""

from portal.settings import *  # noqa: F403

ACCOUNT_RATE_LIMITS = False

# The trivial view (the framework's ceiling) exists only here, never in the product.
ROOT_URLCONF = "bench.urls"
