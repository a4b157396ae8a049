"""A cheap Argon2 for the test suite.

Production hashes with Django's Argon2 settings (about 0.13 s a hash on this
machine, on purpose). Tests sign in, sign up and change passwords hundreds of
times, and nothing they check depends on the cost: the same algorithm with the
smallest parameters keeps the stored format ("argon2$...") and every code path,
and a process with the production settings still verifies these hashes (the
parameters are stored in each hash) and upgrades them on sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8  # KiB: argon2's minimum for one lane
    parallelism = 1
