"""Does a failed sign-in take as long for an unknown login as for a wrong password?

With the real default hash (scrypt), ``POST /api/v1/tokens`` is timed for a
known username with a wrong password and for a username nobody has, the two
interleaved so that a noisy machine slows both alike. If the medians differ,
timing tells an attacker which accounts exist.

Run: ``.venv/bin/python benchmarks/login_timing.py [runs]`` (default 30 each).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

from _harness import upgrade_database

from community import create_app


def main(runs: int = 30) -> None:
    folder = tempfile.mkdtemp(prefix="leerplein-bench-")
    app = create_app({"INSTANCE": folder, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/community.db",
                      "PASSWORD_HASH": "scrypt", "RATELIMIT_ENABLED": False})
    upgrade_database(app)
    client = app.test_client()
    created = client.post("/api/v1/users", json={"username": "anna", "email": "anna@example.org",
                                                 "password": "een-lang-wachtwoord"})
    assert created.status_code == 201, created.get_json()
    attempts = {"known username, wrong password": {"login": "anna", "password": "niet-het-wachtwoord"},
                "unknown username": {"login": "niemand", "password": "niet-het-wachtwoord"}}
    times: dict[str, list[float]] = {label: [] for label in attempts}
    for _ in range(runs + 2):  # the first two rounds warm up
        for label, body in attempts.items():
            start = time.perf_counter()
            response = client.post("/api/v1/tokens", json=body)
            times[label].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 401, response.get_json()
    print(f"\nPOST /api/v1/tokens, scrypt, {runs} tries each (server time, test client)")
    print(f"{'what':<34} {'median ms':>10} {'min ms':>8} {'max ms':>8}")
    for label, measured in times.items():
        measured = measured[2:]
        print(f"{label:<34} {statistics.median(measured):>10.1f} {min(measured):>8.1f} {max(measured):>8.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
