"""Chat fan-out: send -> receipt and send -> ack latency with many clients in one room, over a real server.

Starts ``python wsgi.py`` (gevent, SQLite) on a fresh instance, registers
``--clients`` people in one community, and drives them with the official
``socket.io-client`` on Node (installed once into ``benchmarks/chat_clients``
with npm). Every message is stored before it is broadcast, and indexed for
search, so this is the whole path a real message takes.

    .venv/bin/python benchmarks/chat.py [--clients 500] [--rate 10] [--seconds 20] [--senders 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import start_server, stop_server  # the test suite's way to start a server
from tests.factories import http_user

CLIENTS = Path(__file__).resolve().parent / "chat_clients"


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rate", type=float, default=10.0, help="messages per second, all senders together")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--senders", type=int, default=5)
    args = parser.parse_args()
    if not (CLIENTS / "node_modules" / "socket.io-client").exists():
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund"], cwd=CLIENTS, check=True)

    instance = Path(tempfile.mkdtemp(prefix="leerplein-chat-bench-")) / "instance"
    instance.mkdir()
    process, base = start_server(instance, {"COMMUNITY_SCHEDULER_INTERVAL": "0"})
    try:
        owner = http_user(base, "eigenaar")
        slug = requests.post(f"{base}/api/v1/communities", headers=owner, timeout=30, json={
            "name": "Drukke chat", "kind": "practice", "visibility": "public", "join_policy": "open"}).json()["slug"]

        def person(n: int) -> str:
            auth = http_user(base, f"lezer{n}")
            requests.post(f"{base}/api/v1/communities/{slug}/join", headers=auth, timeout=30).raise_for_status()
            return auth["Authorization"].split()[1]

        with ThreadPoolExecutor(8) as pool:
            tokens = list(pool.map(person, range(args.clients)))
        tokens_file, out_file = instance.parent / "tokens.json", instance.parent / "result.json"
        tokens_file.write_text(json.dumps(tokens))
        subprocess.run(["node", "clients.js", base, slug, str(tokens_file), str(args.rate), str(args.seconds),
                        str(args.senders), str(out_file)], cwd=CLIENTS, check=True)
        result = json.loads(out_file.read_text())
    finally:
        stop_server(process)
    deliveries, acks = result["deliveries"], result["acks"]
    print(f"{result['clients']} clients in one room, {result['messages']} messages at {args.rate:g}/s "
          f"from {args.senders} senders: {len(deliveries)} deliveries, {result['missing']} missing, "
          f"{result['failed']} sends refused {result['refusals'] or ''}")
    for label, values in (("send -> receipt", deliveries), ("send -> ack", acks)):
        print(f"  {label:16} median {statistics.median(values):6.1f} ms   p95 {_percentile(values, 95):6.1f} ms   "
              f"p99 {_percentile(values, 99):6.1f} ms")


if __name__ == "__main__":
    main()
