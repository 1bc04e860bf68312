"""The LiteLLM proxy, measured per request: what tracing costs where users pay for it (issue #34).

    nox -s bench-proxy                     # 8 rounds of 600 requests in 4 passes, 2 workers
    nox -s bench-proxy -- --quick          # one short round, to check that everything runs
    nox -s bench-proxy -- --rounds 4 --passes 2 --variants bare,fastapi-only,recipe
    nox -s bench-proxy -- --instructions bare,fastapi-only,recipe   # callgrind, one worker
    nox -s bench-proxy -- --profile recipe,fastapi-only   # one worker under py-spy, then a diff
    nox -s bench-proxy -- --profile recipe --profiler cprofile   # the event loop's calls, counted
    nox -s bench-proxy -- --instructions fastapi-only,recipe --otel-env OTEL_TRACES_EXPORTER=none
        # what the variants cost without exporting spans (any setting, for every variant but bare)

The real proxy (`litellm --config ... --num_workers N`, the `nox -s proxy` installation) serves
the local fake provider (examples/fake_provider, in this process); an OTLP/HTTP receiver, also in
this process, takes whatever the proxy exports. Every server binds 127.0.0.1.

Variants:

* ``bare``: the proxy as installed, no telemetry.
* ``fastapi-only``: under ``opentelemetry-instrument`` with only the FastAPI instrumentation.
* ``recipe``: README.md's "LiteLLM proxy" recipe: FastAPI's instrumentation and litellm-otel,
  traces, metrics and logs exported as the distro's defaults do once the recipe's variables are set.
* ``litellm-otel-callback``: LiteLLM's own OTel integration (``callbacks: ["otel"]`` in the config).
* ``litellm-otel-v2``: the same with ``LITELLM_OTEL_V2=true`` (LiteLLM >= 1.110).

The rounds are split over passes. A pass starts every variant's proxy afresh (a process draws its
memory layout and hash seed once), waits until each answers and its workers have gone quiet, and
warms each worker up with the load's own mix; then each of its rounds sends every variant, in an
order that rotates from round to round, a bounded load: a fixed number of requests, a few at a
time and a connection each, from one client in this process (plain and streamed chat on both
providers, embeddings, a model the provider always answers 429 so that the Router retries it once,
Anthropic Messages API requests streamed and not). Measured over the load plus the batch span
processor's delay (so that the export of the load's last spans is in it): the CPU time (user +
system, every thread) of the proxy's whole process tree from /proc, per request, and per process;
requests per second and the client's latency percentiles.

CPU per request is compared round by round: each variant's figure over the bare proxy's in the same
round, the median and the range over the rounds. What each variant exports is counted after the
rounds, from one more run of each with one worker, stopped so that it exports everything it holds
(see `content_run`): spans, attributes, span events, OTLP bytes and histogram recordings per request.

``--profile`` runs one worker (``--num_workers 1``) of a variant under py-spy (sampling whichever
thread holds the GIL) or cProfile (the event loop's thread, switched on for the load only, with
call counts) and prints where its CPU goes, grouped by who spends it; given two variants it prints
the difference per request. ``--instructions`` counts one worker's instructions per request under
callgrind instead (switched on for the load only): figures that do not move with the host.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gzip
import importlib.metadata
import importlib.util
import itertools
import math
import os
import pstats
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "examples"))

# benchmarks/run.py's date, git, machine and Python lines, as the overhead bench prints them.
from run import machine_lines as bench_machine_lines  # noqa: E402

from fake_provider import FakeProvider  # noqa: E402

PROFILE_HOOK = HERE / "proxy_profile_hook.py"
BIN = Path(sys.executable).parent
INSTRUMENT = BIN / "opentelemetry-instrument"
LITELLM = BIN / "litellm"
PY_SPY = BIN / "py-spy"

# The proxy imports for tens of seconds on 2 cores before it listens, longer beside other work.
STARTUP_TIMEOUT = 300.0
# Then its workers finish starting up: quiet is under this share of a core over QUIET_SPAN.
QUIET_CORES = 0.15
QUIET_SPAN = 1.0
QUIET_TIMEOUT = 120.0
REQUEST_TIMEOUT = 60.0
SHUTDOWN_TIMEOUT = 30.0
# The batch span processors' delay (OTEL_BSP_SCHEDULE_DELAY, which LiteLLM's callbacks read too),
# 1 s instead of the SDK's 5 s: the window ends this long after the load, so that the load's last
# batch is exported inside it, and the idle proxy's own ticking (about 1 % of a core) weighs less.
# At this load a batch still carries a hundred spans or more.
EXPORT_DELAY = 1.0
EXPORT_SLACK = 0.5
# Requests per variant for counting what it exports (one worker, stopped so that it exports all).
CONTENT_REQUESTS = 5 * 10
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SERVICE_NAME = "litellm-proxy"
API_KEY = "sk-fake-provider"  # what the proxy sends the fake provider; it accepts any key

BARE = "bare"
FASTAPI_ONLY = "fastapi-only"
RECIPE = "recipe"
CALLBACK = "litellm-otel-callback"
CALLBACK_V2 = "litellm-otel-v2"
VARIANTS = (BARE, FASTAPI_ONLY, RECIPE, CALLBACK, CALLBACK_V2)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- variants ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    name: str
    instrumentors: frozenset[str] = frozenset()  # entry points opentelemetry-instrument loads
    callback: bool = False  # LiteLLM's own `otel` callback in the proxy config
    env: tuple[tuple[str, str], ...] = ()

    @property
    def launcher(self) -> bool:
        return bool(self.instrumentors)


VARIANT_TABLE = {
    BARE: Variant(BARE),
    FASTAPI_ONLY: Variant(FASTAPI_ONLY, frozenset({"fastapi"})),
    RECIPE: Variant(RECIPE, frozenset({"fastapi", "litellm_otel"})),
    CALLBACK: Variant(CALLBACK, callback=True),
    CALLBACK_V2: Variant(CALLBACK_V2, callback=True, env=(("LITELLM_OTEL_V2", "true"),)),
}


def otel_v2_missing() -> str | None:
    """Why this LiteLLM cannot run the OTel v2 variant, or None."""
    if importlib.util.find_spec("litellm.integrations.otel") is None:
        return f"LiteLLM {importlib.metadata.version('litellm')} has no OTel v2 (it ships from 1.110)"
    return None


def installed_instrumentors() -> set[str]:
    return {ep.name for ep in importlib.metadata.entry_points(group="opentelemetry_instrumentor")}


def proxy_config(provider: FakeProvider, callback: bool) -> str:
    """The proxy's config: four model groups on the fake provider, the Router retrying once."""
    anthropic, openai = provider.base_url, provider.openai_base
    groups = (
        ("claude", "anthropic/claude-sonnet-4-5", anthropic),
        ("gpt", "openai/gpt-4o-mini", openai),
        ("embed", "openai/text-embedding-3-small", openai),
        # "error-429" in the model makes the fake provider answer 429 Too Many Requests. Two such
        # deployments: with one, LiteLLM 1.110's Router sleeps about 2 s before the retry (wall
        # time that would leave the proxy idle for most of the load); with another one healthy it
        # retries at once, and without cooldowns it keeps sending both to the provider.
        ("rate-limited", "openai/gpt-4o-mini-error-429", openai),
        ("rate-limited", "openai/gpt-4o-mini-error-429", openai),
    )
    lines = ["model_list:"]
    for name, model, base in groups:
        lines += [
            f"  - model_name: {name}",
            "    litellm_params:",
            f"      model: {model}",
            f"      api_base: {base}",
            f"      api_key: {API_KEY}",
        ]
    lines += ["router_settings:", "  num_retries: 1", "  disable_cooldowns: true"]
    if callback:
        lines += ["litellm_settings:", '  callbacks: ["otel"]']
    return "\n".join(lines) + "\n"


def proxy_env(variant: Variant, master_key: str, receiver: Receiver) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("OTEL_") and k not in {"DATABASE_URL", "DIRECT_URL", "LITELLM_OTEL_V2"}
    }
    env.update(
        LITELLM_LOCAL_MODEL_COST_MAP="True",  # no price-map download at start-up
        HF_HUB_OFFLINE="1",
        LITELLM_MASTER_KEY=master_key,
        LITELLM_DONT_SHOW_FEEDBACK_BOX="true",
        NO_PROXY=",".join(filter(None, [env.get("NO_PROXY", ""), "127.0.0.1,localhost"])),
    )
    if variant.name == BARE:
        return env
    # The README recipe's variables. LiteLLM's callbacks read the same ones (protocol, endpoint,
    # service name); metrics and logs are left to the distro's defaults (OTLP), as the recipe does.
    env.update(
        OTEL_SERVICE_NAME=SERVICE_NAME,
        OTEL_TRACES_EXPORTER="otlp",
        OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf",
        OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint,
        OTEL_SEMCONV_STABILITY_OPT_IN="http",
        OTEL_BSP_SCHEDULE_DELAY=str(round(1000 * EXPORT_DELAY)),
    )
    if variant.launcher:
        disabled = sorted(installed_instrumentors() - variant.instrumentors)
        env["OTEL_PYTHON_DISABLED_INSTRUMENTATIONS"] = ",".join(disabled)
    env.update(variant.env)
    return env


# --- the OTLP receiver --------------------------------------------------------------------------

SIGNALS = {"/v1/traces": "traces", "/v1/metrics": "metrics", "/v1/logs": "logs"}


@dataclass(frozen=True)
class Payload:
    signal: str
    arrived_ns: int  # time.time_ns()
    body: bytes  # decompressed protobuf, decoded after the run (none of it while the load runs)


class _ReceiverServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, receiver: Receiver) -> None:
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)
        self.receiver = receiver


class _ReceiverHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ReceiverServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = (self.headers.get("Content-Encoding") or "").strip().lower()
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        signal_name = SIGNALS.get(self.path.split("?", 1)[0])
        if signal_name is None:
            self._reply(404)
            return
        self.server.receiver.add(Payload(signal_name, time.time_ns(), body))
        self._reply(200)  # an empty Export*ServiceResponse is zero bytes

    def _reply(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()


class Receiver:
    """OTLP/HTTP (protobuf) for traces, metrics and logs on 127.0.0.1: keeps the payloads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._payloads: list[Payload] = []
        self._server = _ReceiverServer(self)
        self._thread = threading.Thread(target=self._server.serve_forever, name="otlp-receiver", daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, payload: Payload) -> None:
        with self._lock:
            self._payloads.append(payload)

    def take(self) -> list[Payload]:
        with self._lock:
            payloads, self._payloads = self._payloads, []
        return payloads

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@dataclass
class Exported:
    """What one proxy exported for the requests sent after a start time."""

    requests: int = 0
    spans: Counter[str] = field(default_factory=Counter)  # scope -> spans
    attributes: Counter[str] = field(default_factory=Counter)  # scope -> their attributes
    events: int = 0
    bytes: Counter[str] = field(default_factory=Counter)  # signal -> protobuf bytes
    log_records: int = 0
    # (scope, metric) -> (series, histogram recordings), from each series' last cumulative point
    metrics: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)


# Metric series of requests that are not the load's: the start-up probes, the refused requests that
# register /v1/messages (FastAPI's instrumentation records both).
_NOT_THE_LOAD = {
    ("http.route", "/health/liveliness"),
    ("http.response.status_code", 401),
    ("http.status_code", 401),
}


def _recorded(kind: str | None, point: Any) -> int:
    if any(
        (a.key, getattr(a.value, a.value.WhichOneof("value") or "", None)) in _NOT_THE_LOAD
        for a in point.attributes
    ):
        return 0
    return int(point.count) if kind in {"histogram", "exponential_histogram"} else 0


def decode(payloads: Sequence[Payload], start_ns: int) -> Exported:
    """Spans started after `start_ns`, every payload that arrived after it, and the metrics' last
    cumulative points (each process's own: told apart by their start time)."""
    exported = Exported()
    latest: dict[tuple[str, str, bytes, int], tuple[int, int]] = {}
    for payload in payloads:
        if payload.arrived_ns < start_ns:
            continue
        exported.bytes[payload.signal] += len(payload.body)
        if payload.signal == "traces":
            traces = ExportTraceServiceRequest.FromString(payload.body)
            for resource_spans in traces.resource_spans:
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        if span.start_time_unix_nano >= start_ns:
                            exported.spans[scope_spans.scope.name] += 1
                            exported.attributes[scope_spans.scope.name] += len(span.attributes)
                            exported.events += len(span.events)
        elif payload.signal == "logs":
            logs = ExportLogsServiceRequest.FromString(payload.body)
            exported.log_records += sum(
                len(scope.log_records) for resource in logs.resource_logs for scope in resource.scope_logs
            )
        else:
            metrics = ExportMetricsServiceRequest.FromString(payload.body)
            for resource_metrics in metrics.resource_metrics:
                for scope_metrics in resource_metrics.scope_metrics:
                    for metric in scope_metrics.metrics:
                        kind = metric.WhichOneof("data")
                        points: Any = getattr(metric, kind).data_points if kind else []
                        for point in points:
                            attributes = b"".join(sorted(a.SerializeToString() for a in point.attributes))
                            key = (
                                scope_metrics.scope.name,
                                metric.name,
                                attributes,
                                point.start_time_unix_nano,
                            )
                            if point.time_unix_nano >= latest.get(key, (0, 0))[0]:
                                latest[key] = (point.time_unix_nano, _recorded(kind, point))
    series: dict[tuple[str, str], list[int]] = defaultdict(list)
    for (scope, name, _, _), (_, recorded) in latest.items():
        series[scope, name].append(recorded)
    exported.metrics = {key: (len(values), sum(values)) for key, values in series.items()}
    return exported


# --- processes and their CPU time -----------------------------------------------------------------


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a process, from /proc; None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()  # after "pid (comm) "; comm may hold spaces
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def process_tree(root: int) -> list[int]:
    """The root and its descendants, root first."""
    parents: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents[stat[0]].append(int(entry.name))
    tree, queue = [], [root]
    while queue:
        pid = queue.pop(0)
        tree.append(pid)
        queue.extend(sorted(parents.get(pid, [])))
    return tree


def cpu_times(pids: Sequence[int]) -> dict[int, float]:
    return {pid: stat[1] for pid in pids if (stat := _stat(pid)) is not None}


def command_line(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return ""


def role(pid: int, root: int) -> str:
    if pid == root:
        return "master"
    line = command_line(pid)
    if "resource_tracker" in line:
        return "other"
    return "worker" if "multiprocessing" in line or "spawn_main" in line else "other"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tail(path: Path, lines: int = 40) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


class Proxy:
    """One proxy process tree: started in a session of its own, always killed on exit."""

    def __init__(
        self,
        variant: Variant,
        workers: int,
        workdir: Path,
        provider: FakeProvider,
        receiver: Receiver,
        prefix: Sequence[str] = (),
        startup_timeout: float = STARTUP_TIMEOUT,
    ) -> None:
        self.variant = variant
        self.workers = workers
        self.master_key = "sk-" + secrets.token_urlsafe(32)  # the proxy refuses weak keys
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"{variant.name}.log"
        config = workdir / f"{variant.name}.yaml"
        config.write_text(proxy_config(provider, variant.callback))
        proxy = [str(LITELLM), "--config", str(config), "--host", "127.0.0.1", "--port", str(self.port)]
        proxy += ["--num_workers", str(workers)]
        # What runs the console script instead of its own shebang: a profiling hook, valgrind.
        proxy = [*prefix, *proxy]
        self.startup_timeout = startup_timeout
        # `--` ends the launcher's own options (it would read `--config` as one of them).
        self.command = [str(INSTRUMENT), "--", *proxy] if variant.launcher else proxy
        self.env = proxy_env(variant, self.master_key, receiver)
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Proxy:
        with self.log_path.open("wb") as out:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=self.log_path.parent,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: killed whole below
            )
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self, how: signal.Signals = signal.SIGTERM) -> None:
        """`how` to the proxy, then SIGKILL to its process group (what is left of it)."""
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(how)
            try:
                process.wait(timeout=SHUTDOWN_TIMEOUT)
            except subprocess.TimeoutExpired:
                log(f"  {self.variant.name}: no exit {SHUTDOWN_TIMEOUT:.0f} s after {how.name}, killed")
        # Workers left behind by a master that died, or a master that would not stop.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=SHUTDOWN_TIMEOUT)

    def check_alive(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"the proxy exited with {self.process.returncode}:\n{tail(self.log_path)}")

    def wait_ready(self) -> float:
        """Seconds until it answered and its workers went quiet."""
        started = time.monotonic()
        deadline = started + self.startup_timeout
        with httpx.Client(trust_env=False, timeout=5.0) as client:
            while True:
                self.check_alive()
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the proxy did not start:\n{tail(self.log_path)}")
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(self.base_url + "/health/liveliness").status_code == 200:
                        break
                time.sleep(0.25)
        # The first worker answers while the others may still be importing.
        deadline = time.monotonic() + QUIET_TIMEOUT
        while time.monotonic() < deadline:
            self.check_alive()
            tree = process_tree(self.pid)
            workers = [pid for pid in tree if role(pid, self.pid) == "worker"]
            before = sum(cpu_times(tree).values())
            time.sleep(QUIET_SPAN)
            busy = (sum(cpu_times(tree).values()) - before) / QUIET_SPAN
            if busy < QUIET_CORES and (self.workers == 1 or len(workers) >= self.workers):
                break
        return time.monotonic() - started


# --- the load -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    name: str
    path: str
    body: dict[str, object]
    status: int  # expected
    stream: bool = False


def _chat(model: str, stream: bool = False) -> dict[str, object]:
    return {"model": model, "messages": [{"role": "user", "content": "Say hello"}], "stream": stream}


def _messages(stream: bool) -> dict[str, object]:
    messages = [{"role": "user", "content": "Say hello"}]
    return {"model": "claude", "max_tokens": 256, "messages": messages, "stream": stream}


# One cycle of the load: 4 plain chat calls, 2 streamed, 1 embedding, 2 Anthropic Messages API
# calls (one streamed), and 1 call the provider refuses with 429, retried once by the Router.
MIX = (
    Call("chat claude", "/v1/chat/completions", _chat("claude"), 200),
    Call("chat gpt", "/v1/chat/completions", _chat("gpt"), 200),
    Call("stream claude", "/v1/chat/completions", _chat("claude", True), 200, True),
    Call("embedding", "/v1/embeddings", {"model": "embed", "input": "Say hello"}, 200),
    Call("messages", "/v1/messages", _messages(False), 200),
    Call("chat gpt", "/v1/chat/completions", _chat("gpt"), 200),
    Call("stream gpt", "/v1/chat/completions", _chat("gpt", True), 200, True),
    Call("429, retried", "/v1/chat/completions", _chat("rate-limited"), 429),
    Call("messages stream", "/v1/messages", _messages(True), 200, True),
    Call("chat claude", "/v1/chat/completions", _chat("claude"), 200),
)


@dataclass(frozen=True)
class Answer:
    call: Call
    status: int
    seconds: float
    error: str = ""


async def _one(client: httpx.AsyncClient, call: Call) -> Answer:
    started = time.perf_counter()
    try:
        if call.stream:
            async with client.stream("POST", call.path, json=call.body) as response:
                async for _ in response.aiter_raw():
                    pass
                status = response.status_code
        else:
            response = await client.post(call.path, json=call.body)
            status = response.status_code
    except httpx.HTTPError as error:
        return Answer(call, 0, time.perf_counter() - started, f"{type(error).__name__}: {error}")
    return Answer(call, status, time.perf_counter() - started)


async def _load(base_url: str, master_key: str, count: int, concurrency: int) -> list[Answer]:
    calls = list(itertools.islice(itertools.cycle(MIX), count))
    answers: list[Answer] = []
    # A connection per request: each worker accepts its share as it is free, where a few
    # keep-alive connections would stay with the worker that accepted them (all of them, at times).
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=0)
    headers = {"Authorization": f"Bearer {master_key}"}
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT, limits=limits, trust_env=False
    ) as client:
        pending = iter(calls)

        async def worker() -> None:
            for call in pending:  # shared: each call is taken once
                answers.append(await _one(client, call))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return answers


def send_load(proxy: Proxy, count: int, concurrency: int) -> list[Answer]:
    return asyncio.run(_load(proxy.base_url, proxy.master_key, count, concurrency))


def register_messages_route(proxy: Proxy) -> None:
    """LiteLLM 1.110 registers /v1/messages on a worker's first request under that path: a few
    refused (unauthenticated) requests first, so that every worker has it before the load."""
    with httpx.Client(base_url=proxy.base_url, trust_env=False, timeout=REQUEST_TIMEOUT) as client:
        for _ in range(3 * proxy.workers):
            client.post("/v1/messages", json={})


def unexpected(answers: Sequence[Answer]) -> list[str]:
    odd = Counter(
        f"{a.call.name}: {a.status}{' ' + a.error if a.error else ''}"
        for a in answers
        if a.status != a.call.status
    )
    return [f"{n} x {what}" for what, n in odd.most_common()]


# --- one run: a variant, started, warmed up, measured, stopped ------------------------------------


@dataclass
class Run:
    variant: str
    round: int
    requests: int
    cpu: float  # seconds, whole tree, over the window
    processes: list[tuple[str, float]]  # (role, CPU seconds) per process over the window
    idle_cores: float  # the tree's CPU while idle before the load, in cores
    load_seconds: float
    latencies: list[float]
    errors: list[str]

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.requests

    @property
    def rps(self) -> float:
        return self.requests / self.load_seconds


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def warm_up(proxy: Proxy, args: argparse.Namespace) -> None:
    """The load's own mix until every worker has served a share of it: a worker's first requests
    cost it seconds of CPU (imports, caches), which would land in the first window otherwise."""
    register_messages_route(proxy)
    for _ in range(3):
        workers = [
            pid for pid in process_tree(proxy.pid) if proxy.workers == 1 or role(pid, proxy.pid) == "worker"
        ]
        before = cpu_times(workers)
        if problems := unexpected(send_load(proxy, args.warmup, args.concurrency)):
            raise RuntimeError(f"warm-up answers: {problems}\n{tail(proxy.log_path)}")
        spent = [cpu - before.get(pid, cpu) for pid, cpu in cpu_times(workers).items()]
        if spent and min(spent) >= 0.25 * statistics.mean(spent):
            break
        log(f"  {proxy.variant.name}: warm-up CPU per worker {[round(x, 2) for x in spent]} s, once more")
    time.sleep(EXPORT_DELAY + EXPORT_SLACK)  # the warm-up's spans leave before any window


def start_pass(
    names: Sequence[str],
    args: argparse.Namespace,
    workdir: Path,
    provider: FakeProvider,
    receiver: Receiver,
    stack: contextlib.ExitStack,
    missing: dict[str, str],
) -> dict[str, Proxy]:
    """Every variant's proxy started at once, then each waited for and warmed up."""
    proxies = {
        name: stack.enter_context(Proxy(VARIANT_TABLE[name], args.workers, workdir, provider, receiver))
        for name in names
    }
    ready: dict[str, Proxy] = {}
    for name, proxy in proxies.items():
        try:
            log(f"  {name}: ready after {proxy.wait_ready():.0f} s")
            warm_up(proxy, args)
        except (RuntimeError, TimeoutError) as error:
            log(f"{name}: not measured: {error}")
            missing[name] = str(error).splitlines()[0]
            proxy.stop()
            continue
        ready[name] = proxy
    receiver.take()
    return ready


def measure(proxy: Proxy, round_index: int, args: argparse.Namespace, receiver: Receiver) -> Run:
    """One timed load through a warm proxy: the CPU its process tree spent on it, per request."""
    tree = process_tree(proxy.pid)
    roles = {pid: role(pid, proxy.pid) for pid in tree}
    before = cpu_times(tree)
    time.sleep(1.0)
    idle = sum(cpu_times(tree).values()) - sum(before.values())
    before = cpu_times(tree)
    started = time.perf_counter()
    answers = send_load(proxy, args.requests, args.concurrency)
    load_seconds = time.perf_counter() - started
    time.sleep(EXPORT_DELAY + EXPORT_SLACK)  # the load's last spans are exported in the window
    after = cpu_times(tree)
    proxy.check_alive()
    receiver.take()
    processes = [(roles[pid], after[pid] - before[pid]) for pid in tree if pid in before and pid in after]
    return Run(
        variant=proxy.variant.name,
        round=round_index,
        requests=args.requests,
        cpu=sum(cpu for _, cpu in processes),
        processes=sorted(processes, key=lambda p: (p[0] != "master", -p[1])),
        idle_cores=idle,
        load_seconds=load_seconds,
        latencies=[a.seconds for a in answers],
        errors=unexpected(answers),
    )


def timed_rounds(
    order: Sequence[str],
    args: argparse.Namespace,
    workdir: Path,
    provider: FakeProvider,
    receiver: Receiver,
    missing: dict[str, str],
) -> list[Run]:
    """The rounds, split over passes: each pass starts every variant's proxy afresh (a process draws
    its memory layout and hash seed once), then runs its rounds through them, the order rotating."""
    runs: list[Run] = []
    started = time.monotonic()
    per_pass = math.ceil(args.rounds / args.passes)
    for first in range(0, args.rounds, per_pass):
        log(f"pass {first // per_pass + 1}: starting {', '.join(order)}")
        with contextlib.ExitStack() as stack:
            live = start_pass(order, args, workdir, provider, receiver, stack, missing)
            for round_index in range(first, min(first + per_pass, args.rounds)):
                shift = round_index % len(order)
                for name in [n for n in [*order[shift:], *order[:shift]] if n in live and n not in missing]:
                    try:
                        run = measure(live[name], round_index, args, receiver)
                    except (RuntimeError, TimeoutError) as error:
                        log(f"round {round_index + 1} {name}: not measured: {error}")
                        missing[name] = str(error).splitlines()[0]
                        continue
                    runs.append(run)
                    log(
                        f"round {round_index + 1}/{args.rounds} {name:<22} {run.cpu_ms:6.2f} ms CPU/request, "
                        f"{run.rps:5.1f} requests/s ({time.monotonic() - started:.0f} s in)"
                    )
    return runs


def content_run(
    variant: Variant, args: argparse.Namespace, workdir: Path, provider: FakeProvider, receiver: Receiver
) -> Exported:
    """What `variant` exports for CONTENT_REQUESTS requests of the mix: one worker, stopped with
    SIGINT. On SIGTERM uvicorn (0.29 and later) re-raises the signal once it has shut down, and the
    process dies of it before the SDK's exit handlers export the spans and metric points they still
    hold; on SIGINT the re-raise is a KeyboardInterrupt, and they run."""
    receiver.take()
    provider.reset()
    with Proxy(variant, 1, workdir, provider, receiver) as proxy:
        proxy.wait_ready()
        register_messages_route(proxy)
        time.sleep(EXPORT_DELAY + EXPORT_SLACK)
        start_ns = time.time_ns()
        if problems := unexpected(send_load(proxy, CONTENT_REQUESTS, args.concurrency)):
            raise RuntimeError(f"answers: {problems}\n{tail(proxy.log_path)}")
        proxy.stop(signal.SIGINT)
    exported = decode(receiver.take(), start_ns)
    exported.requests = CONTENT_REQUESTS
    return exported


# --- report ---------------------------------------------------------------------------------------


def versions() -> str:
    names = (
        "litellm",
        "opentelemetry-sdk",
        "opentelemetry-distro",
        "opentelemetry-instrumentation-fastapi",
        "opentelemetry-exporter-otlp-proto-http",
        "fastapi",
        "uvicorn",
        "uvloop",
    )
    found = []
    for name in names:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found.append(f"{name} {importlib.metadata.version(name)}")
    return ", ".join(found)


def machine_lines() -> list[str]:
    lines = [*bench_machine_lines(), f"versions: {versions()}"]
    if EXTRA_ENV:
        lines.append("every variant but bare also ran with: " + " ".join(f"{k}={v}" for k, v in EXTRA_ENV))
    return lines


# `--otel-env KEY=VALUE`: settings added to every instrumented variant (e.g. OTEL_TRACES_EXPORTER=none
# to count what export costs), shown in the report's header.
EXTRA_ENV: list[tuple[str, str]] = []


def add_otel_env(settings: Sequence[str]) -> None:
    for setting in settings:
        key, sep, value = setting.partition("=")
        if not sep or not key:
            raise SystemExit(f"--otel-env takes KEY=VALUE, not {setting!r}")
        EXTRA_ENV.append((key, value))
    if EXTRA_ENV:
        for name, variant in VARIANT_TABLE.items():
            if name != BARE:
                VARIANT_TABLE[name] = dataclasses.replace(variant, env=(*variant.env, *EXTRA_ENV))


def spread(values: Sequence[float], digits: int = 2, suffix: str = "") -> str:
    if not values:
        return "n/a"
    median = statistics.median(values)
    if len(values) == 1:
        return f"{median:.{digits}f}{suffix}"
    return f"{median:.{digits}f}{suffix} [{min(values):.{digits}f}, {max(values):.{digits}f}]"


def by_round(runs: Sequence[Run]) -> dict[int, dict[str, Run]]:
    rounds: dict[int, dict[str, Run]] = defaultdict(dict)
    for run in runs:
        rounds[run.round][run.variant] = run
    return rounds


def paired(runs: Sequence[Run], variant: str, against: str) -> list[tuple[Run, Run]]:
    return [
        (r[variant], r[against]) for _, r in sorted(by_round(runs).items()) if variant in r and against in r
    ]


def timing_table(runs: Sequence[Run], order: Sequence[str]) -> list[str]:
    lines = [
        "| variant | CPU ms/request | ratio to bare, same round | added ms | master + workers ms/request "
        "| requests/s | p50 ms | p99 ms | idle CPU, % of a core |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in order:
        mine = [r for r in runs if r.variant == name]
        if not mine:
            continue
        pairs = paired(runs, name, BARE)
        ratios = [a.cpu_ms / b.cpu_ms for a, b in pairs]
        added = [a.cpu_ms - b.cpu_ms for a, b in pairs]
        per_process = []
        for index in range(max(len(r.processes) for r in mine)):
            values = [1000 * r.processes[index][1] / r.requests for r in mine if index < len(r.processes)]
            labels = {r.processes[index][0] for r in mine if index < len(r.processes)}
            per_process.append(f"{'/'.join(sorted(labels))} {statistics.median(values):.2f}")
        lines.append(
            f"| {name} | {spread([r.cpu_ms for r in mine])} "
            f"| {'1' if name == BARE else spread(ratios, 3, 'x')} "
            f"| {'' if name == BARE else spread(added)} "
            f"| {', '.join(per_process)} "
            f"| {spread([r.rps for r in mine], 1)} "
            f"| {spread([1000 * percentile(r.latencies, 0.5) for r in mine], 1)} "
            f"| {spread([1000 * percentile(r.latencies, 0.99) for r in mine], 1)} "
            f"| {spread([100 * r.idle_cores for r in mine], 1)} |"
        )
    return lines


def target_lines(runs: Sequence[Run]) -> list[str]:
    """Issue #34: litellm-otel's added CPU (recipe over FastAPI-only) <= 3 % of the bare proxy's and
    below what LiteLLM's own `otel` callback adds."""
    lines = []
    ours = [
        (recipe.cpu_ms - fastapi.cpu_ms) / bare.cpu_ms
        for _, r in sorted(by_round(runs).items())
        if all(v in r for v in (RECIPE, FASTAPI_ONLY, BARE))
        for recipe, fastapi, bare in [(r[RECIPE], r[FASTAPI_ONLY], r[BARE])]
    ]
    if ours:
        verdict = "met" if statistics.median(ours) <= 0.03 else "MISSED"
        lines.append(
            f"litellm-otel's added CPU (recipe - fastapi-only) over bare: "
            f"{spread([100 * x for x in ours], 1, ' %')} (target ≤ 3 %: {verdict} on the median)"
        )
    for name in (CALLBACK, CALLBACK_V2):
        theirs = [(a.cpu_ms - b.cpu_ms) / b.cpu_ms for a, b in paired(runs, name, BARE)]
        if theirs:
            lines.append(f"{name} adds over bare: {spread([100 * x for x in theirs], 1, ' %')}")
    return lines


def content_table(content: dict[str, Exported]) -> list[str]:
    if not content:
        return ["not counted (--skip-content)"]
    lines = [
        "| variant | spans/request (by scope) | attributes/request | span events/request "
        "| OTLP bytes/request: traces, metrics, logs | log records/request | histogram recordings/request |",
        "|---|---|---|---|---|---|---|",
    ]
    metric_lines: list[str] = []
    for name, exported in content.items():
        count = exported.requests
        scopes = exported.spans
        by_scope = ", ".join(f"{scope or '(none)'} {n / count:.2f}" for scope, n in sorted(scopes.items()))
        recorded = sum(r for _, r in exported.metrics.values())
        sent = ", ".join(f"{exported.bytes[s] / count:.0f}" for s in ("traces", "metrics", "logs"))
        lines.append(
            f"| {name} | {sum(scopes.values()) / count:.2f} ({by_scope or 'none'}) "
            f"| {sum(exported.attributes.values()) / count:.1f} | {exported.events / count:.2f} "
            f"| {sent} | {exported.log_records / count:.2f} | {recorded / count:.2f} |"
        )
        for (scope, metric), (series, histogram) in sorted(exported.metrics.items()):
            metric_lines.append(
                f"  {name:<22} {scope:<38} {metric:<46} {series:>3} series, "
                f"{histogram / count:.2f} recordings/request"
            )
    notes = [
        "",
        f"{CONTENT_REQUESTS} requests of the mix through one worker, stopped with SIGINT so that it exports",
        "everything it holds (see content_run); bytes are the protobuf payloads as they arrived.",
    ]
    return lines + notes + (["", "metrics:", *metric_lines] if metric_lines else [])


def print_report(
    runs: Sequence[Run],
    order: Sequence[str],
    args: argparse.Namespace,
    missing: dict[str, str],
    content: dict[str, Exported],
) -> None:
    print()
    print("## LiteLLM proxy, CPU per request (benchmarks/proxy.py)")
    print()
    for line in machine_lines():
        print(line)
    print(
        f"load:     {args.rounds} rounds x {args.requests} requests per variant, {args.workers} workers, "
        f"{args.concurrency} at a time, after {args.warmup} warm-up requests; the mix: "
        + ", ".join(f"{n}x {name}" for name, n in Counter(c.name for c in MIX).items())
    )
    print()
    for line in timing_table(runs, order):
        print(line)
    print()
    for line in target_lines(runs):
        print(line)
    for name, reason in missing.items():
        print(f"{name}: not measured ({reason})")
    errors = [f"{r.variant} round {r.round + 1}: {e}" for r in runs for e in r.errors]
    if errors:
        print("\nunexpected answers during the load:")
        for line in errors:
            print(f"  {line}")
    print()
    print("### What each variant exported")
    print()
    for line in content_table(content):
        print(line)


# --- profiles -----------------------------------------------------------------------------------

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
_STDLIB = str(Path(os.__file__).resolve().parent)


def package(path: str) -> str:
    """The distribution a source file belongs to, by path: `litellm`, `opentelemetry.sdk`, ..."""
    normalized = path.replace("\\", "/")
    if "/litellm_otel/" in normalized:
        return "litellm_otel"
    if "site-packages/" in normalized:
        parts = normalized.split("site-packages/", 1)[1].split("/")
        if parts[0] == "opentelemetry" and len(parts) > 2:
            return f"opentelemetry.{parts[1]}"
        if parts[0] == "google" and len(parts) > 1:
            return f"google.{parts[1]}"
        return parts[0].removesuffix(".py")
    if normalized.startswith(_STDLIB) or normalized.startswith("<"):
        return "stdlib"
    return "other"


ASGI = {"fastapi", "starlette", "uvicorn", "anyio", "sse_starlette", "h11", "httptools", "uvloop"}
HTTP_CLIENTS = {"httpx", "httpcore", "aiohttp", "openai", "anthropic", "yarl", "multidict"}
EXPORT_MARKERS = ("opentelemetry/sdk/_shared_internal", "opentelemetry/exporter", "metrics/_internal/export")


def bucket(frames: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """(group, owning function) of one sampled stack, root first: the owner is the innermost frame
    outside the standard library, whose package says who spent the time; OTel work is told apart
    by who called it."""
    owner = next(((f, p) for f, p in reversed(frames) if package(p) != "stdlib"), None)
    if owner is None:
        return "Python stdlib alone (event loop, threads)", frames[-1][0] if frames else "?"
    function, path = owner
    name = package(path)
    where = f"{function} ({name}:{Path(path).name})"
    paths = [p.replace("\\", "/") for _, p in frames]
    ours = any(package(p) == "litellm_otel" for p in paths)
    if any(marker in p for p in paths for marker in EXPORT_MARKERS):
        return "OTel export threads (batch span / periodic metric export, protobuf, HTTP)", where
    if name == "litellm_otel":
        return "litellm-otel's own code", where
    if name.startswith("opentelemetry"):
        if ours:
            return "OTel SDK/API called by litellm-otel", where
        if any(package(p) == "opentelemetry.instrumentation" for p in paths):
            return "FastAPI/ASGI instrumentation and the SDK under it", where
        if any(package(p) == "litellm" for p in paths):
            return "OTel SDK/API called by LiteLLM", where
        return "OTel SDK/API, other", where
    if name == "litellm":
        return "LiteLLM", where
    if name in ASGI:
        return "ASGI server and framework (uvicorn, starlette, fastapi)", where
    if name in HTTP_CLIENTS:
        return "HTTP clients to the provider (httpx, aiohttp)", where
    if name.startswith("pydantic"):
        return "pydantic", where
    return f"other: {name}", where


@dataclass
class Profile:
    variant: str
    requests: int
    cpu: float  # the process's CPU seconds over the load, from /proc
    seconds_per_sample: float
    groups: Counter[str] = field(default_factory=Counter)  # group -> samples (py-spy) or seconds
    owners: Counter[str] = field(default_factory=Counter)
    ours: Counter[str] = field(default_factory=Counter)  # litellm-otel function -> own + SDK below it
    calls: Counter[str] = field(default_factory=Counter)  # cProfile: function -> calls
    total: float = 0.0

    def ms(self, amount: float) -> float:
        return 1000 * amount * self.seconds_per_sample / self.requests


def read_py_spy(path: Path, profile: Profile) -> None:
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = []
        for raw in stack.split(";"):
            match = _FRAME.match(raw)
            if match and not raw.startswith(("process ", "thread ")):
                frames.append((match["function"], match["file"]))
        group, owner = bucket(frames)
        profile.groups[group] += count
        profile.owners[owner] += count
        profile.total += count
        innermost_ours = next((f for f, p in reversed(frames) if package(p) == "litellm_otel"), None)
        if innermost_ours and group in {"litellm-otel's own code", "OTel SDK/API called by litellm-otel"}:
            profile.ours[innermost_ours] += count


def read_cprofile(path: Path, profile: Profile) -> None:
    # (file, line, function) -> (primitive calls, calls, own time, cumulative time, callers)
    stats: dict[Any, Any] = getattr(pstats.Stats(str(path)), "stats")  # noqa: B009 (not in its stubs)
    for (file, line, function), (_, calls, own, _, _) in stats.items():
        # No stacks here: a function's own time goes to its package ("~" marks builtins).
        name = package(file) if not file.startswith("~") else "stdlib"
        where = f"{function} ({name}:{Path(file).name}:{line})"
        profile.groups[f"package {name}"] += own
        profile.owners[where] += own
        profile.calls[where] += calls
        profile.total += own
        if name == "litellm_otel":
            profile.ours[where] += own


@contextlib.contextmanager
def profiling(profiler: str, pid: int, out: Path, rate: int) -> Iterator[None]:
    """py-spy attached to `pid`, or the cProfile hook in it switched on, for the block's duration."""
    if profiler == "cprofile":
        os.kill(pid, signal.SIGUSR1)  # the hook runs in the process the launcher exec'd into
        try:
            yield
        finally:
            os.kill(pid, signal.SIGUSR2)  # the hook stops and writes the profile
            deadline = time.monotonic() + 60
            while not out.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
        return
    # --gil: the thread holding the GIL, i.e. running Python (py-spy's idle detection counts threads
    # waiting on a Condition here as busy); --full-filenames: paths that say the package.
    command = [str(PY_SPY), "record", "--pid", str(pid), "--rate", str(rate), "--format", "raw", "--gil"]
    command.append("--full-filenames")
    spy = subprocess.Popen(
        [*command, "--output", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        time.sleep(1.0)  # py-spy attaches
        yield
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes what it sampled and exits
        try:
            _, errors = spy.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            spy.kill()
            errors = spy.communicate()[1]
    if not out.exists():
        raise RuntimeError(f"py-spy wrote nothing: {errors.decode(errors='replace')[-2000:]}")


def profile_variant(
    variant: Variant, args: argparse.Namespace, workdir: Path, provider: FakeProvider, receiver: Receiver
) -> Profile:
    """One worker of `variant` profiled over a bounded load (after the same warm-up as the timed runs)."""
    receiver.take()
    provider.reset()
    out = args.out / f"{variant.name}.{'prof' if args.profiler == 'cprofile' else 'py-spy.txt'}"
    out.unlink(missing_ok=True)
    prefix = (sys.executable, str(PROFILE_HOOK), str(out)) if args.profiler == "cprofile" else ()
    with Proxy(variant, 1, workdir, provider, receiver, prefix=prefix) as proxy:
        proxy.wait_ready()
        warm_up(proxy, args)
        with profiling(args.profiler, proxy.pid, out, args.sample_rate):
            before = cpu_times([proxy.pid])[proxy.pid]
            answers = send_load(proxy, args.requests, args.concurrency)
            time.sleep(EXPORT_DELAY + EXPORT_SLACK)  # the load's last spans are exported
            cpu = cpu_times([proxy.pid]).get(proxy.pid, before) - before
        if problems := unexpected(answers):
            log(f"  {variant.name}: unexpected answers {problems}")
    seconds_per_sample = 1.0 / args.sample_rate if args.profiler == "py-spy" else 1.0
    profile = Profile(variant.name, args.requests, cpu, seconds_per_sample)
    if args.profiler == "py-spy":
        read_py_spy(out, profile)
    else:
        read_cprofile(out, profile)
    log(f"  {variant.name}: profile kept in {out}")
    return profile


def print_profiles(profiles: Sequence[Profile], args: argparse.Namespace) -> None:
    print()
    print(f"## Where one worker's CPU goes ({args.profiler}, {args.requests} requests, after warm-up)")
    print()
    for line in machine_lines():
        print(line)
    if args.profiler == "py-spy":
        print(f"sampling: py-spy record --rate {args.sample_rate} --gil (whichever thread runs Python)")
    else:
        print("cProfile of the event loop's thread only (own time; profiler-inflated, compare only)")
    for profile in profiles:
        sampled = profile.ms(profile.total)
        print()
        print(
            f"### {profile.variant}: {1000 * profile.cpu / profile.requests:.2f} ms CPU/request measured, "
            f"{sampled:.2f} ms/request {'sampled' if args.profiler == 'py-spy' else 'profiled'}"
        )
        print()
        print("| group | ms/request | share |")
        print("|---|---|---|")
        for group, amount in profile.groups.most_common():
            print(f"| {group} | {profile.ms(amount):.3f} | {100 * amount / profile.total:.1f} % |")
        print()
        print("top owners (innermost frame outside the standard library), ms/request:")
        for owner, amount in profile.owners.most_common(args.top):
            calls = f"  {profile.calls[owner] / profile.requests:.1f} calls/request" if profile.calls else ""
            print(f"  {profile.ms(amount):8.3f}  {owner}{calls}")
        if profile.ours:
            print()
            print("litellm-otel functions (own time and the OTel SDK/API under them), ms/request:")
            for function, amount in profile.ours.most_common(args.top):
                print(f"  {profile.ms(amount):8.3f}  {function}")
    if len(profiles) == 2:
        a, b = profiles
        print()
        print(f"### {a.variant} - {b.variant}, ms/request")
        print()
        print(f"measured CPU: {1000 * (a.cpu / a.requests - b.cpu / b.requests):+.3f}")
        print()
        print("| group | difference | " + f"{a.variant} | {b.variant} |")
        print("|---|---|---|---|")
        for group in sorted(
            set(a.groups) | set(b.groups), key=lambda g: -abs(a.ms(a.groups[g]) - b.ms(b.groups[g]))
        ):
            delta = a.ms(a.groups[group]) - b.ms(b.groups[group])
            print(f"| {group} | {delta:+.3f} | {a.ms(a.groups[group]):.3f} | {b.ms(b.groups[group]):.3f} |")
        owners = sorted(
            set(a.owners) | set(b.owners), key=lambda o: -abs(a.ms(a.owners[o]) - b.ms(b.owners[o]))
        )
        print()
        print("owners that differ most:")
        for owner in owners[: args.top]:
            delta = a.ms(a.owners[owner]) - b.ms(b.owners[owner])
            print(f"  {delta:+8.3f}  {owner}")
        if a.calls and b.calls:
            print()
            print("functions outside litellm-otel and OpenTelemetry called more often per request:")
            more = [
                (a.calls[f] / a.requests - b.calls[f] / b.requests, f)
                for f in set(a.calls) | set(b.calls)
                if "litellm_otel" not in f and "(opentelemetry" not in f
            ]
            for delta, function in sorted(more, reverse=True)[: args.top]:
                if delta > 0.05:
                    print(f"  {delta:+8.2f}  {function}")


# --- instructions -------------------------------------------------------------------------------

# Under callgrind the proxy imports for minutes (uninstrumented, still translated), and serves a
# request in about a second once counting.
CALLGRIND_STARTUP_TIMEOUT = 1200.0
CALLGRIND_SETTLE = 5.0


def _callgrind_control(*args: str) -> None:
    subprocess.run(["callgrind_control", *args], check=True, capture_output=True, timeout=120)


def count_instructions(
    variant: Variant, args: argparse.Namespace, workdir: Path, provider: FakeProvider, receiver: Receiver
) -> float:
    """Instructions per request of one worker serving `args.requests` requests, every thread
    counted (callgrind, switched on for the load only, through callgrind_control): counts that do
    not move with the host's speed, as the in-process bench's do."""
    out = args.out / f"{variant.name}.callgrind.out"
    for old in args.out.glob(f"{out.name}*"):
        old.unlink()
    valgrind = ("valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}")
    prefix = (*valgrind, sys.executable)
    with Proxy(variant, 1, workdir, provider, receiver, prefix, CALLGRIND_STARTUP_TIMEOUT) as proxy:
        log(f"  {variant.name}: ready under callgrind after {proxy.wait_ready():.0f} s")
        warm_up(proxy, args)
        pid = str(proxy.pid)  # the launcher exec'd into valgrind
        _callgrind_control("--instr=on", pid)
        if problems := unexpected(send_load(proxy, args.requests, args.concurrency)):
            log(f"  {variant.name}: unexpected answers {problems}")
        time.sleep(CALLGRIND_SETTLE)  # the load's last spans exported
        _callgrind_control("--dump", pid)
        _callgrind_control("--instr=off", pid)
    dumps = sorted(args.out.glob(f"{out.name}.*"))
    if not dumps:
        raise RuntimeError(f"callgrind wrote no dump for {variant.name}")
    totals = re.search(r"^(?:totals|summary): (\d+)", dumps[0].read_text(errors="replace"), re.MULTILINE)
    if totals is None:
        raise RuntimeError(f"no totals in {dumps[0]}")
    requests: int = args.requests
    return int(totals[1]) / requests


def print_instructions(counted: dict[str, float], args: argparse.Namespace) -> None:
    print()
    print(f"## Instructions per request, one worker (callgrind, {args.requests} requests after warm-up)")
    print()
    for line in machine_lines():
        print(line)
    print()
    print("| variant | instructions/request | added to bare | ratio to bare |")
    print("|---|---|---|---|")
    bare = counted.get(BARE)
    for name, count in counted.items():
        added = f"{(count - bare) / 1e6:+.2f}M" if bare else "n/a"
        ratio = f"{count / bare:.3f}x" if bare else "n/a"
        print(f"| {name} | {count / 1e6:.2f}M | {added} | {ratio} |")
    if bare and RECIPE in counted and FASTAPI_ONLY in counted:
        ours = counted[RECIPE] - counted[FASTAPI_ONLY]
        print()
        print(
            f"litellm-otel's added instructions (recipe - fastapi-only): {ours / 1e6:.2f}M a request, "
            f"{100 * ours / bare:.1f} % of bare"
        )


# --- main ---------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=8, help="loads through every variant (default 8)")
    parser.add_argument(
        "--requests", type=int, help="requests per load (default 600; 100 with --instructions)"
    )
    parser.add_argument("--warmup", type=int, help="warm-up requests per run (default 20 per worker)")
    parser.add_argument("--workers", type=int, default=2, help="the proxy's --num_workers (default 2)")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight (default 4)")
    parser.add_argument(
        "--variants", default=",".join(VARIANTS), help=f"comma-separated, of {', '.join(VARIANTS)}"
    )
    parser.add_argument(
        "--passes",
        type=int,
        default=4,
        help="times every proxy is started afresh, sharing the rounds (default 4)",
    )
    parser.add_argument("--skip-content", action="store_true", help="do not count what each variant exports")
    parser.add_argument(
        "--otel-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an environment setting for every variant but bare (repeatable), e.g. OTEL_TRACES_EXPORTER=none",
    )
    parser.add_argument("--quick", action="store_true", help="one round of 60 requests")
    parser.add_argument("--profile", metavar="VARIANT[,VARIANT]", help="profile one worker instead of timing")
    parser.add_argument("--profiler", choices=("py-spy", "cprofile"), default="py-spy")
    parser.add_argument(
        "--instructions",
        metavar="VARIANT[,VARIANT]",
        help="count one worker's instructions per request under callgrind instead of timing (slow)",
    )
    parser.add_argument(
        "--sample-rate", type=int, default=250, help="py-spy samples per second (default 250)"
    )
    parser.add_argument("--top", type=int, default=25, help="functions listed per profile (default 25)")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / ".nox" / "bench-proxy-profiles",
        help="where profiles and callgrind's counts are kept (.nox/bench-proxy-profiles)",
    )
    args = parser.parse_args(argv)
    if args.requests is None:
        args.requests = 100 if args.instructions else 600
    if args.quick:
        args.rounds, args.requests, args.passes = 1, 60, 1
    args.passes = max(1, min(args.passes, args.rounds))
    if args.warmup is None:
        args.warmup = 20 * (1 if args.profile or args.instructions else args.workers)
    args.workers = max(1, args.workers)
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def selected(names: str) -> list[str]:
    chosen = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in VARIANT_TABLE]
    if unknown:
        raise SystemExit(f"unknown variants {unknown}; known: {', '.join(VARIANTS)}")
    return chosen


def runnable(names: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    missing: dict[str, str] = {}
    if not LITELLM.exists():
        raise SystemExit(f"{LITELLM} not found: install litellm[proxy] (nox -s bench-proxy does)")
    for name in names:
        variant = VARIANT_TABLE[name]
        if variant.launcher and not INSTRUMENT.exists():
            missing[name] = "opentelemetry-instrument is not installed"
        elif variant.launcher and not variant.instrumentors <= installed_instrumentors():
            missing[name] = (
                f"instrumentations not installed: {sorted(variant.instrumentors - installed_instrumentors())}"
            )
        elif name == CALLBACK_V2 and (reason := otel_v2_missing()):
            missing[name] = reason
    return [n for n in names if n not in missing], missing


@contextlib.contextmanager
def servers() -> Iterator[tuple[FakeProvider, Receiver, Path]]:
    with (
        FakeProvider() as provider,
        Receiver() as receiver,
        tempfile.TemporaryDirectory(prefix="bench-proxy-") as tmp,
    ):
        yield provider, receiver, Path(tmp)


def profile_main(args: argparse.Namespace) -> int:
    names, missing = runnable(selected(args.profile))
    for name, reason in missing.items():
        log(f"{name}: not profiled ({reason})")
    if args.profiler == "py-spy" and not PY_SPY.exists():
        raise SystemExit(f"{PY_SPY} not found: install py-spy, or use --profiler cprofile")
    with servers() as (provider, receiver, workdir):
        profiles = []
        for name in names:
            log(f"profiling {name}: {args.requests} requests, one worker")
            profiles.append(profile_variant(VARIANT_TABLE[name], args, workdir, provider, receiver))
    print_profiles(profiles, args)
    return 0


def instructions_main(args: argparse.Namespace) -> int:
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        raise SystemExit("--instructions needs valgrind (callgrind and callgrind_control)")
    names, missing = runnable(selected(args.instructions))
    for name, reason in missing.items():
        log(f"{name}: not counted ({reason})")
    counted: dict[str, float] = {}
    # Two at a time (2 cores): a count does not depend on what else runs.
    with servers() as (provider, receiver, workdir), ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            name: pool.submit(count_instructions, VARIANT_TABLE[name], args, workdir, provider, receiver)
            for name in names
        }
        for name, future in futures.items():
            try:
                counted[name] = future.result()
            except (RuntimeError, TimeoutError, subprocess.SubprocessError) as error:
                log(f"{name}: not counted: {error}")
    print_instructions(counted, args)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    add_otel_env(args.otel_env)
    if args.profile:
        return profile_main(args)
    if args.instructions:
        return instructions_main(args)
    order, missing = runnable(selected(args.variants))
    if BARE not in order:
        raise SystemExit("the bare proxy is what every ratio is taken against: keep `bare` in --variants")
    started = time.monotonic()
    content: dict[str, Exported] = {}
    with servers() as (provider, receiver, workdir):
        runs = timed_rounds(order, args, workdir, provider, receiver, missing)
        if not args.skip_content:
            for name in order:
                if name in missing or name == BARE:
                    continue
                try:
                    content[name] = content_run(VARIANT_TABLE[name], args, workdir, provider, receiver)
                except (RuntimeError, TimeoutError) as error:
                    log(f"{name}: what it exports not counted: {error}")
                log(f"counted what {name} exports ({time.monotonic() - started:.0f} s in)")
    measured = [n for n in order if any(r.variant == n for r in runs)]
    print_report(runs, measured, args, missing, content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
