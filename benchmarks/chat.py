"""Chat fan-out: send -> receipt and send -> ack latency with many clients in one room, over real servers.

Starts ``python wsgi.py`` (gevent, SQLite) on a fresh instance, pinned to
the first core, registers the clients in one community, and drives them
with the official ``socket.io-client`` on Node (installed once into
``benchmarks/chat_clients`` with npm), pinned to the other core. Every
message is stored before it is broadcast, and indexed for search, so this
is the whole path a real message takes. ``--processes 2`` starts two
server processes on one database behind the local Redis as message queue,
and spreads the clients over both.

    .venv/bin/python benchmarks/chat.py [--clients 200,500,1000] [--rate 20] [--seconds 20] [--senders 5]
                                        [--processes 1]

Prints, per client count: deliveries, missing, send -> receipt and
send -> ack median/p95/p99, and deliveries per server CPU-second.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import start_server, stop_server  # the test suite's way to start a server
from tests.factories import http_user

CLIENTS = Path(__file__).resolve().parent / "chat_clients"
SERVER_CORE, CLIENT_CORE = {0}, {1}


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _servers(instance: Path, processes: int) -> list[tuple[subprocess.Popen, str]]:
    env = {"COMMUNITY_SCHEDULER_INTERVAL": "0"}
    if processes > 1:
        env |= {"COMMUNITY_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
                "COMMUNITY_MESSAGE_QUEUE_CHANNEL": f"bench-{uuid.uuid4().hex}"}
    servers = [start_server(instance, env) for _ in range(processes)]
    if hasattr(os, "sched_setaffinity") and os.cpu_count() > 1:
        for process, _base in servers:
            os.sched_setaffinity(process.pid, SERVER_CORE)
    return servers


def run(clients: int, rate: float, seconds: float, senders: int, processes: int) -> dict:
    instance = Path(tempfile.mkdtemp(prefix="leerplein-chat-bench-")) / "instance"
    instance.mkdir()
    servers = _servers(instance, processes)
    base = servers[0][1]
    try:
        owner = http_user(base, "eigenaar")
        slug = requests.post(f"{base}/api/v1/communities", headers=owner, timeout=30, json={
            "name": "Drukke chat", "kind": "practice", "visibility": "public", "join_policy": "open"}).json()["slug"]

        def person(n: int) -> str:
            auth = http_user(base, f"lezer{n}")
            requests.post(f"{base}/api/v1/communities/{slug}/join", headers=auth, timeout=30).raise_for_status()
            return auth["Authorization"].split()[1]

        with ThreadPoolExecutor(8) as pool:
            tokens = list(pool.map(person, range(clients)))
        work = instance.parent
        config = work / "load.json"
        config.write_text(json.dumps({"bases": [b for _p, b in servers], "slug": slug, "tokens": tokens,
                                      "rate": rate, "seconds": seconds, "senders": senders,
                                      "pids": [p.pid for p, _b in servers], "dir": str(work)}))
        pin = ["taskset", "-c", ",".join(map(str, CLIENT_CORE))] if os.cpu_count() > 1 else []
        listeners = subprocess.Popen([*pin, "node", "clients.js", "listen", str(config)], cwd=CLIENTS)
        while not (work / "READY").exists():
            if listeners.poll() is not None:
                raise RuntimeError("the listening clients stopped")
            time.sleep(0.1)
        subprocess.run([*pin, "node", "clients.js", "send", str(config)], cwd=CLIENTS, check=True)
        (work / "STOP").touch()
        if listeners.wait(timeout=120):
            raise RuntimeError("the listening clients failed")
        result = _result(json.loads((work / "sent.json").read_text()), json.loads((work / "received.json").read_text()))
        return result | {"clients": clients}
    finally:
        for process, _base in servers:
            stop_server(process)


def _result(sent: dict, received: dict) -> dict:
    """Send -> receipt of every delivery to a listener, from the two processes' monotonic clock readings."""
    sent_at = sent["sent"]
    deliveries = [(int(at) - int(sent_at[client_id])) / 1e6
                  for client_id, times in received["received"].items() if client_id in sent_at for at in times]
    return {"deliveries": deliveries, "acks": sent["acks"], "server_cpu_seconds": sent["server_cpu_seconds"],
            "missing": received["listeners"] * len(sent["sent"]) - len(deliveries),
            "failed": sum(sent["refusals"].values()), "refusals": sent["refusals"],
            "listeners": received["listeners"],
            "messages": len(sent["sent"])}


def report(result: dict, rate: float, senders: int, processes: int) -> None:
    deliveries, acks = result["deliveries"], result["acks"]
    per_cpu = len(deliveries) / result["server_cpu_seconds"] if result["server_cpu_seconds"] else float("nan")
    print(f"{result['clients']} clients in one room on {processes} process(es), {result['messages']} messages "
          f"at {rate:g}/s from {senders} senders: {len(deliveries)} deliveries to the other "
          f"{result['listeners']}, {result['missing']} missing, "
          f"{result['failed']} sends refused {result['refusals'] or ''}")
    for label, values in (("send -> receipt", deliveries), ("send -> ack", acks)):
        print(f"  {label:16} median {statistics.median(values):6.1f} ms   p95 {_percentile(values, 95):6.1f} ms   "
              f"p99 {_percentile(values, 99):6.1f} ms")
    print(f"  server CPU {result['server_cpu_seconds']:.2f} s: {per_cpu:,.0f} deliveries per CPU-second")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="200,500,1000", help="client counts, comma-separated")
    parser.add_argument("--rate", type=float, default=20.0, help="messages per second, all senders together")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--senders", type=int, default=5)
    parser.add_argument("--processes", type=int, default=1, help="2: two servers behind Redis")
    args = parser.parse_args()
    if not (CLIENTS / "node_modules" / "socket.io-client").exists():
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund"], cwd=CLIENTS, check=True)
    for clients in (int(n) for n in args.clients.split(",")):
        report(run(clients, args.rate, args.seconds, args.senders, args.processes), args.rate, args.senders,
               args.processes)


if __name__ == "__main__":
    main()
