from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2OwaspPasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's first recommended setting: 19 MiB, 2 passes, 1 lane.

    Django's default (100 MiB, 8 lanes) costs 120–300 ms of CPU per login on a 2-core
    server; on the last evening of registration logins then starve every other page
    (bench/RESULTS.md). Same algorithm name: existing hashes still verify and are rewritten
    with these parameters at the next successful login."""

    time_cost = 2
    memory_cost = 19456
    parallelism = 1
