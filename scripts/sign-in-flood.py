#!/usr/bin/env python3
"""Peak resident memory of `turno serve` under a flood of sign-ins (issue 16, hole 4).

Starts TURNO (a built binary) on a fresh SQLite database with --trust-forwarded-for, sends
CLIENTS concurrent sign-ins with random logins, each from its own address (X-Forwarded-For),
so that no limit per address stops them before the password check, and prints the server's
peak RSS (VmHWM) and the statuses answered.

    python3 scripts/sign-in-flood.py target/debug/turno [CLIENTS]
"""

import collections
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time

import requests


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    turno = sys.argv[1]
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    work = tempfile.mkdtemp()
    db = f"sqlite://{work}/flood.db"
    subprocess.run([turno, "migrate", "--database-url", db], check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [turno, "serve", "--addr", f"127.0.0.1:{port}", "--database-url", db,
         "--insecure-cookies", "--trust-forwarded-for", "--blobs", f"{work}/blobs"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(240):
            try:
                if requests.get(f"{base}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        idle = peak_rss_mb(server.pid)
        statuses = collections.Counter()
        ready = threading.Barrier(clients)

        def sign_in(n):
            session = requests.Session()
            address = {"X-Forwarded-For": f"10.{n // 250}.{n % 250}.7"}
            page = session.get(f"{base}/acceso", headers=address, timeout=120).text
            csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
            ready.wait()
            answer = session.post(f"{base}/acceso", headers=address, allow_redirects=False,
                                  timeout=120, data={"csrf": csrf, "login": secrets.token_hex(6),
                                                     "password": "no es", "next": ""})
            statuses[answer.status_code] += 1

        threads = [threading.Thread(target=sign_in, args=(n,)) for n in range(clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.monotonic() - started
        print(f"{clients} sign-ins in {took:.1f} s: statuses {dict(sorted(statuses.items()))}; "
              f"peak RSS {peak_rss_mb(server.pid):.0f} MB (idle {idle:.0f} MB)")
    finally:
        server.terminate()
        server.wait()
        subprocess.run(["rm", "-rf", work], check=False)


if __name__ == "__main__":
    main()
