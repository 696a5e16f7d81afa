from django.contrib.auth.hashers import Argon2PasswordHasher


class JobtraxArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with parameters above OWASP's floor (m=19 MiB, t=2, p=1).

    Measured with argon2-cffi on a 2-core machine (benchmarks/login.py prints it again):
      m=19 MiB t=2: 18 ms | m=46 MiB t=1: 43 ms | m=64 MiB t=2: 101 ms | m=128 MiB t=2: 212 ms.
    We take m=64 MiB, t=2, p=1: about 0.1 s per verify, which an attacker pays per guess on
    memory-hard hardware, while a login stays well under a quarter of a second. Each concurrent
    verify holds 64 MiB, so a 2-worker gunicorn peaks at ~128 MiB for hashing. p=1 because
    parallel lanes would only compete with the other worker for the same two cores.
    Django re-hashes at the next login whenever these numbers change (must_update).
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 65536
    parallelism = 1
