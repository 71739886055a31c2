"""``make bench``, the platform's half: the web application on a city of 50,000 enterprises in PostgreSQL.

Named ``platform_bench.py``, not ``platform.py``: a script's folder comes first on ``sys.path``, so a
``bench/platform.py`` would stand in for the standard library's ``platform`` module in ``bench/run.py`` and in every
library that imports it.

The database is the bench's own (``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/gaoqi_bench``,
created when missing), migrated, and filled once by the demo generator (``gaoqi.registry.demo``) with ``--size``
enterprises; a later run with the same size, seed and date reuses it (``--rebuild`` makes it again). The settings are
production's (``config.settings.production``: DEBUG off), with a key that is the bench's own.

Measures, each one function of :data:`MEASURES` returning rows of the table:

1. The enterprise list page (``/enterprises/``): server time, measured in this process around the Django test
   client's request (middleware, session, the view's queries, the template; no network, no HTTP parsing), as the
   bureau officer (the whole city) and as a district officer, first page unfiltered and with typical filters.
2. ``POST /api/v1/assess`` with the bundled example: a real server (gunicorn started on a free loopback port; by
   default two gthread workers of one thread each, which keep connections alive) and asyncio clients in this
   process, each on its own HTTP/1.1 connection. An open loop at 300 requests a second (requests due at a fixed
   rate whatever the answers), with the CPU each request costs the server, read from ``/proc``, and the client;
   one client alone. ``--only assess`` runs this measure alone.
3. Screening every enterprise from the database: ``facts_frame`` then ``evaluate`` for all programs.
4. Importing a 10,000-row Excel template: upload, preview, commit (``bench/measure_import.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gaoqi_bench"
SIZE = 50_000
SEED = 20251121
AS_OF = date(2026, 6, 30)
"""The generated city's date: its three fiscal years are 2023–2025; the screening is as of this date too."""

TARGET_LIST_MS = 150.0
TARGET_ASSESS_RATE = 300.0
TARGET_ASSESS_P99_MS = 30.0
TARGET_ASSESS_CPU_MS = 2.0
"""At 300 requests a second the p99 latency and the server's CPU per request (all programs, full explanations)."""
TARGET_SCREEN_S = 3.0
CONNECTIONS = 20
"""The open loop's clients: at most this many requests are in flight; a request due when all are busy waits."""


@dataclass
class Row:
    measure: str
    figure: str
    target: str = "—"
    met: bool | None = None


@dataclass
class Bench:
    args: argparse.Namespace
    url: str
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------- the database


def _environment(url: str) -> dict[str, str]:
    """Production settings on the bench database; the test client's host is allowed for the in-process measure."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    }


def ensure_database(url: str) -> None:
    """Create the bench database when it does not exist (connecting to the server's ``postgres`` database)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare_city(bench: Bench) -> None:
    """Migrate, load the code tables, and generate the city unless the same one is already there."""
    from django.core.management import call_command
    from django.db import connection

    from gaoqi.core.models import AuditEntry
    from gaoqi.registry.demo import demo_city_build, demo_enterprises

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_codes", verbosity=0)
    wanted = {"size": bench.args.size, "seed": SEED, "as_of": AS_OF.isoformat()}
    built = AuditEntry.objects.filter(action="demo.city_built").order_by("-pk").first()
    same = built is not None and all(built.changes.get(k) == v for k, v in wanted.items())
    if not bench.args.rebuild and same and demo_enterprises().count() == bench.args.size:
        bench.notes.append(f"reused the generated city ({bench.args.size:,} enterprises, seed {SEED})")
        return
    started = time.perf_counter()
    demo_city_build(size=bench.args.size, seed=SEED, as_of=AS_OF, reset=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would soon give a real database
    seconds = time.perf_counter() - started
    bench.notes.append(f"generated the city: {bench.args.size:,} enterprises in {seconds:.0f} s (seed {SEED})")


# ---------------------------------------------------------------------------------------------------- measures


def _percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return sorted_values[max(math.ceil(share * len(sorted_values)) - 1, 0)]


LIST_CASES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("bureau", "unfiltered", {}),
    ("bureau", "district 新会区", {"district": "440705"}),
    ("bureau", "industry section C", {"section": "C"}),
    ("bureau", "industry division C38", {"division": "C38"}),
    ("bureau", "domain 1 电子信息", {"domain": "1"}),
    ("bureau", "valid HNTE certificate", {"certificate": "hnte"}),
    ("bureau", "valid little-giant title", {"certificate": "little_giant"}),
    ("bureau", "tier: no valid certificate", {"tier": "none"}),
    ("bureau", "tier: tech SME, not yet HNTE", {"tier": "tsme"}),
    ("bureau", "name search, 2 characters (科技)", {"q": "科技"}),
    ("bureau", "name search, 4 characters (恒达精密)", {"q": "恒达精密"}),
    ("bureau", "credit-code search (91440705)", {"q": "91440705"}),
    ("bureau", "district + HNTE + domain", {"district": "440705", "certificate": "hnte", "domain": "1"}),
    ("bureau", "sorted by name, descending", {"sort": "-name"}),
    ("bureau", "last page (1,000)", {"page": "1000"}),
    ("pengjiang", "unfiltered", {}),
    ("pengjiang", "valid HNTE certificate", {"certificate": "hnte"}),
    ("pengjiang", "name search (科技)", {"q": "科技"}),
    ("pengjiang", "industry division C38 + domain 8", {"division": "C38", "domain": "8"}),
)
"""(demo user, what, query): ``bureau`` is the bureau officer (whole city), ``pengjiang`` the district officer of
蓬江区 (about a quarter of the city)."""


def measure_list_page(bench: Bench) -> list[Row]:
    """Server time of ``/enterprises/``: median, 95th percentile (the target's) and worst of ``--repeat`` requests after
    two warm-ups."""
    from django.test import Client

    from gaoqi.accounts.models import User

    who = {"bureau": "bureau officer", "pengjiang": "district officer"}
    clients: dict[str, Client] = {}
    for username in who:
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    rows = []
    for username, what, query in LIST_CASES:
        client = clients[username]
        for _ in range(2):
            response = client.get("/enterprises/", query)
        if response.status_code != 200 or not response.content:
            raise RuntimeError(f"/enterprises/ {query} answered {response.status_code}")
        times = []
        for _ in range(bench.args.repeat):
            started = time.perf_counter()
            client.get("/enterprises/", query)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        median, p95 = statistics.median(times), _percentile(times, 0.95)
        rows.append(
            Row(
                f"list page, {who[username]}: {what}",
                f"{median:.1f} ms (p95 {p95:.1f} ms, worst {times[-1]:.1f} ms)",
                f"p95 < {TARGET_LIST_MS:.0f} ms",
                p95 < TARGET_LIST_MS,
            )
        )
    return rows


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Load:
    latencies_ms: list[float]
    errors: int
    seconds: float

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def summary(self) -> str:
        values = sorted(self.latencies_ms)
        return (
            f"p50 {statistics.median(values):.1f} ms, mean {statistics.fmean(values):.1f} ms, "
            f"p99 {_percentile(values, 0.99):.1f} ms, "
            f"{self.throughput:,.0f} req/s ({len(values):,} requests, {self.errors} errors)"
        )


class _Client:
    """One HTTP/1.1 client on plain non-blocking sockets (asyncio's streams cost a fifth more CPU, taken from the
    server on a machine of two cores). Its connection is kept while the server keeps it: gthread workers do, sync
    workers close after every answer."""

    def __init__(self, port: int, request: bytes) -> None:
        self.port, self.request = port, request
        self.connection: socket.socket | None = None

    async def post(self) -> bytes:
        """The status line and headers; the body is read (by its Content-Length) and dropped."""
        reused = self.connection is not None
        try:
            return await self._exchange()
        except ConnectionError:
            self.close()
            if not reused:
                raise
            return await self._exchange()  # the server had closed the idle connection: once more on a new one

    async def _exchange(self) -> bytes:
        loop = asyncio.get_running_loop()
        if self.connection is None:
            self.connection = socket.socket()
            self.connection.setblocking(False)
            await loop.sock_connect(self.connection, ("127.0.0.1", self.port))
        await loop.sock_sendall(self.connection, self.request)
        received = bytearray()
        while b"\r\n\r\n" not in received:
            received += await self._receive()
        head, _, body = bytes(received).partition(b"\r\n\r\n")
        length = re.search(rb"\r\ncontent-length: *(\d+)", head, re.IGNORECASE)
        if length is None:
            raise RuntimeError(f"an answer without Content-Length: {head[:200]!r}")
        left = int(length[1]) - len(body)
        while left > 0:
            left -= len(await self._receive())
        if re.search(rb"\r\nconnection: *close", head, re.IGNORECASE):
            self.close()
        return head

    async def _receive(self) -> bytes:
        assert self.connection is not None
        chunk = await asyncio.get_running_loop().sock_recv(self.connection, 1 << 18)
        if not chunk:
            raise ConnectionResetError("the server closed the connection")
        return chunk

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _ok(head: bytes) -> bool:
    return head.startswith(b"HTTP/1.1 200")


async def _closed_loop(port: int, request: bytes, clients: int, seconds: float) -> Load:
    """``clients`` clients, each sending its next request as soon as the last one is answered."""
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        one = _Client(port, request)
        while time.perf_counter() < stop:
            started = time.perf_counter()
            head = await one.post()
            latencies.append((time.perf_counter() - started) * 1000)
            errors += not _ok(head)
        one.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return Load(latencies, errors, time.perf_counter() - started)


async def _open_loop(port: int, request: bytes, rate: float, seconds: float, connections: int) -> Load:
    """Requests due at a fixed ``rate`` whatever the answers, on at most ``connections`` clients; a latency counts from
    when the request was due, so time spent waiting for a free client is included."""
    latencies: list[float] = []
    errors = 0
    idle: asyncio.Queue[_Client] = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(_Client(port, request))
    begin = time.perf_counter() + 0.05

    async def one(i: int) -> None:
        nonlocal errors
        due = begin + i / rate
        await asyncio.sleep(max(due - time.perf_counter(), 0))
        client = await idle.get()
        head = await client.post()
        idle.put_nowait(client)
        latencies.append((time.perf_counter() - due) * 1000)
        errors += not _ok(head)

    await asyncio.gather(*(one(i) for i in range(int(rate * seconds))))
    while not idle.empty():
        idle.get_nowait().close()
    return Load(latencies, errors, time.perf_counter() - begin)


def _server_cpu_seconds(server: subprocess.Popen[bytes]) -> float:
    """CPU time (user + system) of gunicorn's arbiter and its workers so far, from ``/proc``."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, rest = stat.read_text().split(" (", 1)
        except OSError:  # the process ended meanwhile
            continue
        fields = rest.rsplit(") ", 1)[1].split()  # from the state on: ppid is fields[1], utime and stime [11], [12]
        if int(pid) == server.pid or int(fields[1]) == server.pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def _start_server(bench: Bench, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--chdir", str(ROOT)]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(bench.args.workers)]
    command += ["--worker-class", bench.args.worker_class, "--threads", str(bench.args.threads)]
    command += ["--log-level", "warning", *(["--access-logfile", "-"] if bench.args.access_log else [])]
    environment = {**os.environ, **_environment(bench.url), "POLARS_MAX_THREADS": str(bench.args.polars_threads)}
    return subprocess.Popen(command, env=environment, cwd=ROOT)


def _answer_once(port: int, request: bytes, server: subprocess.Popen[bytes]) -> bytes:
    """The body of one answer, once the server listens (it is given 60 s to start); any status but 200 is an error."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
                connection.sendall(request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1))
                response = b"".join(iter(lambda: connection.recv(1 << 18), b""))
        except OSError:
            time.sleep(0.2)
            continue
        head, _, body = response.partition(b"\r\n\r\n")
        if not _ok(head):
            raise RuntimeError(f"POST /api/v1/assess answered {response[:300]!r}")
        return body
    raise RuntimeError("gunicorn did not answer within 60 s")


def measure_assess(bench: Bench) -> list[Row]:
    """``POST /api/v1/assess`` against gunicorn, with the example's facts JSON as the body."""
    from rest_framework.authtoken.models import Token

    from gaoqi.accounts.models import User
    from gaoqi.rules import assess

    body = resources.files("gaoqi.rules.examples").joinpath("enterprise.json").read_bytes()
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="enterprise"))
    port = _free_port()
    request = (
        f"POST /api/v1/assess HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Token {token.key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    rates = sorted({TARGET_ASSESS_RATE, *bench.args.rate})
    server = _start_server(bench, port)
    try:
        if json.loads(_answer_once(port, request, server)) != assess(body.decode()):
            raise RuntimeError("the server's answer differs from gaoqi assess --format json")
        seconds = bench.args.seconds
        asyncio.run(_closed_loop(port, request, CONNECTIONS, 2.0))  # warm every worker
        offered = []
        for rate in rates:
            server_cpu, client_cpu = _server_cpu_seconds(server), time.process_time()
            load = asyncio.run(_open_loop(port, request, rate, seconds, CONNECTIONS))
            server_cpu = _server_cpu_seconds(server) - server_cpu
            client_cpu = time.process_time() - client_cpu
            count = len(load.latencies_ms)
            offered.append((rate, load, server_cpu / count * 1000, client_cpu / count * 1000))
        alone = asyncio.run(_closed_loop(port, request, 1, min(seconds, 5.0)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    workers = f"gunicorn, {bench.args.workers} {bench.args.worker_class} workers"
    if bench.args.worker_class == "gthread":
        workers += f" of {bench.args.threads} thread{'s' if bench.args.threads > 1 else ''}"
    rows = []
    for rate, load, server_ms, client_ms in offered:
        judged = rate == TARGET_ASSESS_RATE
        p99 = _percentile(sorted(load.latencies_ms), 0.99)
        ceiling = (os.cpu_count() or 1) * 1000 / (server_ms + client_ms)
        rows += [
            Row(
                f"assess, server CPU per request at {rate:,.0f} req/s ({workers})",
                f"{server_ms:.2f} ms (client {client_ms:.2f} ms; {os.cpu_count()} cores serve at most "
                f"{ceiling:,.0f} req/s)",
                f"≤ {TARGET_ASSESS_CPU_MS:.0f} ms" if judged else "—",
                server_ms <= TARGET_ASSESS_CPU_MS if judged else None,
            ),
            Row(
                f"assess, open loop at {rate:,.0f} req/s (≤ {CONNECTIONS} connections): p99",
                f"{p99:.1f} ms ({load.summary()})",
                f"≤ {TARGET_ASSESS_P99_MS:.0f} ms" if judged else "—",
                p99 <= TARGET_ASSESS_P99_MS and load.errors == 0 if judged else None,
            ),
        ]
    return [*rows, Row("assess, one client alone", alone.summary())]


def measure_screening(bench: Bench) -> list[Row]:
    """Every enterprise from the database, every program: ``facts_frame`` then ``evaluate``; three runs, after the
    rules' plan is built once (as a server keeps it)."""
    from gaoqi.registry.facts import facts_frame
    from gaoqi.registry.models import Enterprise
    from gaoqi.rules.evaluate import evaluate

    evaluate(facts_frame(Enterprise.objects.all()[:200], as_of=AS_OF), as_of=AS_OF)
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        frame = facts_frame(Enterprise.objects.all(), as_of=AS_OF)
        read = time.perf_counter()
        results = evaluate(frame, as_of=AS_OF)
        runs.append((time.perf_counter() - started, read - started))
    total, read = sorted(runs)[1]  # the median run
    return [
        Row(
            f"screen all {frame.height:,} from the database, all programs (median of 3)",
            f"{total:.2f} s (facts_frame {read:.2f} s, evaluate {total - read:.2f} s; runs "
            + ", ".join(f"{t:.2f}" for t, _ in runs)
            + f" s; {results.frame.width} result columns)",
            f"< {TARGET_SCREEN_S:.0f} s",
            total < TARGET_SCREEN_S,
        )
    ]


def measure_import(bench: Bench) -> list[Row]:
    """A 10,000-row Excel template, upload → preview → commit (``bench/measure_import.py``)."""
    from bench.measure_import import measure_import as measure

    return measure(bench)


MEASURES: list[Callable[[Bench], list[Row]]] = [measure_list_page, measure_assess, measure_screening, measure_import]


# ---------------------------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=SIZE, help="enterprises in the generated city")
    parser.add_argument("--rebuild", action="store_true", help="generate the city again even if it is there")
    parser.add_argument("--repeat", type=int, default=20, help="requests per list-page case")
    parser.add_argument("--seconds", type=float, default=15.0, help="duration of each assess load")
    parser.add_argument(
        "--rate",
        type=lambda text: [float(r) for r in text.split(",")],
        default=[TARGET_ASSESS_RATE],
        help="offered rates of the open-loop assess loads, comma-separated, beside the target's 300 req/s",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn worker processes")
    parser.add_argument("--worker-class", default="gthread", choices=("sync", "gthread"), help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--polars-threads", type=int, default=1, help="POLARS_MAX_THREADS of the server")
    parser.add_argument("--access-log", action="store_true", help="print gunicorn's access log")
    parser.add_argument("--only", help="comma-separated measures to run, e.g. list_page,screening")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        parser.error("BENCH_DATABASE_URL must be a PostgreSQL URL")
    try:
        ensure_database(url)
    except Exception as exc:  # any connection failure gets the same advice
        print(f"cannot reach PostgreSQL at {url}: {exc}", file=sys.stderr)
        return 2
    os.environ.update(_environment(url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    bench = Bench(args, url)
    load_before = os.getloadavg()
    prepare_city(bench)
    chosen = set(args.only.split(",")) if args.only else None
    rows: list[Row] = []
    for measure in MEASURES:
        if chosen is None or measure.__name__.removeprefix("measure_") in chosen:
            rows.extend(measure(bench))
    load_after = os.getloadavg()

    print(
        f"gaoqi platform benchmark — {datetime.now(SHANGHAI).date().isoformat()}, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL at {urlsplit(url).hostname}"
    )
    for note in bench.notes:
        print(f"- {note}")
    print(f"- load average (1 min) before / after: {load_before[0]:.2f} / {load_after[0]:.2f}")
    print()
    print("| measure | figure | target | met |")
    print("|---|---|---|---|")
    for row in rows:
        met = "—" if row.met is None else ("yes" if row.met else "NO")
        print(f"| {row.measure} | {row.figure} | {row.target} | {met} |")
    return 0 if all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
