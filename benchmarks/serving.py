"""Serving from outside: kept-alive latency, throughput with 1, 2 and 4 processes, memory.

Loads 1,000 threads × 51 posts (``--threads``) into a fresh SQLite instance
or, with ``--database postgresql``, a throwaway database on the local
PostgreSQL, starts real ``python wsgi.py`` processes on it and measures:

1. latency over ONE kept-alive connection (Python's ``http.client``, as an
   API client or script): ``GET /healthz``, ``GET /api/v1/users/me``,
   ``GET /api/v1/threads/{id}`` (51 posts) and a reply ``POST``; client-observed
   time and the server's own (its ``Server-Timing`` header), median and p95;
2. throughput of the thread page (HTML, signed in) and of reply POSTs with
   1, 2 and 4 processes, driven by Debian's ``wrk`` (one wrk per process,
   8 connections in all), with 0 errors required;
3. the resident memory of a worker after the thread-page load.

    .venv/bin/python benchmarks/serving.py [--database sqlite|postgresql] [--server wsgi|gunicorn]
                                              [--python /path/to/production-venv/bin/python]

On this 2-core machine wrk and the servers share the cores, so throughput
stops growing past 2 processes: compare rows of one run (FIELD-NOTES).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._corpus import PASSWORD, load_discussions  # noqa: E402

FAST_HASH = "pbkdf2:sha256:1000"


@contextmanager
def database(kind: str, folder: Path):
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'community.db'}"
        return
    from tests.postgres import admin_connection

    conn, user = admin_connection()
    if conn is None:
        sys.exit("PostgreSQL is not reachable at 127.0.0.1:5432")
    name = f"leerplein_bench_{os.getpid()}"
    conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{user}@127.0.0.1:5432/{name}"
    finally:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(folder: Path, url: str, threads: int) -> dict:
    from community import create_app
    from community.database import upgrade_database
    from community.extensions import db

    app = create_app({"INSTANCE": str(folder), "SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH": FAST_HASH,
                      "RATELIMIT_ENABLED": False})
    upgrade_database(app)
    world = load_discussions(app, threads=threads)
    with app.app_context():
        db.engine.dispose()
    return world


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(folder: Path, url: str, server: str, python: str = sys.executable) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "COMMUNITY_INSTANCE": str(folder), "COMMUNITY_DATABASE_URL": url,
           "COMMUNITY_RATELIMIT": "off", "COMMUNITY_PASSWORD_HASH": FAST_HASH}
    if server == "gunicorn":
        command = [str(Path(python).with_name("gunicorn")), "-c", "gunicorn.conf.py",
                   "-b", f"127.0.0.1:{port}", "wsgi:app"]
    else:
        command = [python, "wsgi.py", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit(f"{server} did not start")


def sign_in(port: int, username: str) -> str:
    """The session cookie of a browser signed in through the HTML form."""
    import requests

    session = requests.Session()
    page = session.get(f"http://127.0.0.1:{port}/login").text
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    session.post(f"http://127.0.0.1:{port}/login", data={"login": username, "password": PASSWORD,
                                                         "csrf_token": csrf})
    return session.cookies["session"]


def percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[max(int(len(values) * 0.95) - 1, 0)]


def kept_alive(port: int, world: dict, runs: int) -> list[tuple[str, tuple, tuple]]:
    """Each request ``runs`` times over one connection: (label, client p50/p95, server p50/p95)."""
    auth = {"Authorization": f"Bearer {world['token']}"}
    thread = world["threads"][len(world["threads"]) // 2]
    cases = [
        ("GET /healthz", "GET", "/healthz", None, {}),
        ("GET /api/v1/users/me", "GET", "/api/v1/users/me", None, auth),
        ("GET /api/v1/threads/{id} (51 posts)", "GET", f"/api/v1/threads/{thread}", None, auth),
        ("POST /api/v1/threads/{id}/posts", "POST", None, True, auth),
    ]
    conn = http.client.HTTPConnection("127.0.0.1", port)
    rows = []
    for label, method, path, is_post, headers in cases:
        client, server = [], []
        for n in range(runs + 10):
            body = None
            if is_post:
                path = f"/api/v1/threads/{world['threads'][n % len(world['threads'])]}/posts"
                body = json.dumps({"body": f"Snel antwoord nummer {n}"})
                headers = {**auth, "Content-Type": "application/json"}
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status in (200, 201), (label, response.status)
            if n >= 10:  # warm-up done
                client.append(elapsed)
                server.append(float(response.getheader("Server-Timing").split("dur=")[1]))
        rows.append((label, percentiles(client), percentiles(server)))
    return rows


WRK_POST = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
counter = 0
request = function()
  counter = counter + 1
  local id = {first} + (counter * 7919) % {count}
  return wrk.format("POST", "/api/v1/threads/" .. id .. "/posts", nil,
                    '{{"body": "Antwoord ' .. counter .. ' via wrk"}}')
end
"""

ALL_THREADS = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, "/threads/" .. ({first} + counter % {count}))
end
"""

_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def wrk(ports: list[int], path: str, seconds: int, connections: int, *, cookie: str | None = None,
        script: str | None = None) -> dict:
    """Run one wrk per process at once; total requests/s, worst p50/p99, errors."""
    with ExitStack() as stack:
        procs = []
        for port in ports:
            command = ["wrk", "-t1", f"-c{max(connections // len(ports), 1)}", f"-d{seconds}s", "--latency"]
            if cookie:
                command += ["-H", f"Cookie: session={cookie}"]
            if script:
                handle = stack.enter_context(tempfile.NamedTemporaryFile("w", suffix=".lua"))
                handle.write(script)
                handle.flush()
                command += ["-s", handle.name]
            procs.append(subprocess.Popen(command + [f"http://127.0.0.1:{port}{path}"], stdout=subprocess.PIPE,
                                          text=True))
        outputs = [p.communicate()[0] for p in procs]
    total, p50, p99, errors = 0.0, 0.0, 0.0, 0
    for out in outputs:
        total += float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        scale = {"us": 0.001, "ms": 1, "s": 1000}
        marks = {m[0]: float(m[1]) * scale[m[2]] for m in _LATENCY.findall(out)}
        p50, p99 = max(p50, marks.get("50", 0)), max(p99, marks.get("99", 0))
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors += int(bad.group(1)) if bad else 0
        broken = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        errors += sum(map(int, broken.groups())) if broken else 0
    return {"rps": total, "p50": p50, "p99": p99, "errors": errors}


def worker_pid(process: subprocess.Popen, server: str) -> int:
    """The process that serves: gunicorn's worker is a child of its master."""
    if server != "gunicorn":
        return process.pid
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    return int(children[0])


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--server", choices=("wsgi", "gunicorn"), default="wsgi")
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=300, help="requests per kept-alive row")
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run")
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter of the servers, e.g. a venv with only requirements.txt")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("needs wrk (apt-get install wrk)")

    folder = Path(tempfile.mkdtemp(prefix="leerplein-serving-"))
    with database(args.database, folder) as url:
        print(f"loading {args.threads} threads × 51 posts into {args.database} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        world = build(folder, url, args.threads)
        print(f"loaded {world['posts']} posts in {time.perf_counter() - started:.0f} s", file=sys.stderr)

        all_threads = ALL_THREADS.format(first=world["threads"][0], count=len(world["threads"]))
        process, port = start(folder, url, args.server, args.python)
        try:
            cookie = sign_in(port, world["reader"])
            worker = worker_pid(process, args.server)
            page = f"/threads/{world['threads'][0]}"
            wrk([port], page, 3, 4, cookie=cookie)  # warm-up
            served = wrk([port], "/", args.seconds, 4, cookie=cookie, script=all_threads)
            print(f"\nWorker RSS after loading and serving {served['rps'] * args.seconds:.0f} thread pages "
                  f"(all {len(world['threads'])} threads, 4 connections): {rss_mib(worker):.1f} MiB")
            print(f"\nKept-alive connection, {args.runs} requests each, {args.server}, {args.database}, "
                  f"{args.threads} threads × 51 posts")
            print(f"{'request':<40} {'client p50':>10} {'p95':>7} {'server p50':>11} {'p95':>7}  (ms)")
            for label, (c50, c95), (s50, s95) in kept_alive(port, world, args.runs):
                print(f"{label:<40} {c50:10.2f} {c95:7.2f} {s50:11.2f} {s95:7.2f}")
        finally:
            process.terminate()
            process.wait()

        print(f"\nThroughput with wrk, 8 connections in all, {args.seconds} s per row")
        print(f"{'what':<34} {'processes':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        first, count = world["threads"][0], len(world["threads"])
        for n in (int(x) for x in args.processes.split(",") if x):
            servers = [start(folder, url, args.server, args.python) for _ in range(n)]
            ports = [p for _proc, p in servers]
            try:
                cookie = sign_in(ports[0], world["reader"])
                wrk(ports, page, 2, 8, cookie=cookie)  # warm-up
                rows = [("thread page (HTML, 51 posts)", wrk(ports, page, args.seconds, 8, cookie=cookie)),
                        ("reply POST (API)", wrk(ports, "/", args.seconds, 8, script=WRK_POST.format(
                            token=world["token"], first=first, count=count)))]
                for label, r in rows:
                    print(f"{label:<34} {n:>9} {r['rps']:8.1f} {r['p50']:8.2f} {r['p99']:8.2f} {r['errors']:7d}")
            finally:
                for proc, _port in servers:
                    proc.terminate()
                    proc.wait()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
