"""Collector outage: LiteLLM calls, spans and memory while the OTLP receiver is down.

A bounded load of real LiteLLM calls (`acompletion` and `completion`, alternately) against the
bundled fake provider, traced by litellm-otel through a real SDK `BatchSpanProcessor` and
`OTLPSpanExporter` (HTTP) into `tests/otlp_receiver.py` on 127.0.0.1: by default 15 calls/s
for 40 s, the receiver down from 10 s to 30 s (listener and open connections closed, so the
exporter sees refused connections), then a flush. Each settings row runs in a process of its
own with its `OTEL_*` variables set as a user sets them (inherited ones are removed, so
`default` is the SDK's defaults). Spans created are counted by a span processor of their own,
spans received by their ids at the receiver; what the exporter gave up on and what a full queue
dropped are counted apart.

Exits non-zero if a LiteLLM call failed, if memory grew past its bound, if the outage never
reached the exporter, or if the recommended settings lost a span.

    nox -s outage                         # default, then recommended settings
    python benchmarks/outage.py --settings default recommended bsp-only --outage 20
"""

from __future__ import annotations

import os

# LiteLLM fetches its model price map from the network at import unless told not to.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import argparse
import asyncio
import datetime
import gc
import importlib.metadata
import json
import logging
import resource
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the OTLP receiver

import litellm
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

from fake_provider import FakeProvider
from litellm_otel import LiteLLMInstrumentor
from otlp_receiver import OTLPReceiver

# The settings compared. What the SDK does with them (opentelemetry-sdk and
# -exporter-otlp-proto-http 1.45.2): the batch processor's one worker thread hands a batch to
# the exporter and waits; the exporter retries a refused connection at most 6 times, 1, 2, 4, 8
# and 16 s apart (±20 % jitter), and gives the batch up when the next wait would pass its
# timeout (OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT, seconds, default 10: attempts at 0, 1, 3 and
# 7 s). Meanwhile the spans that end wait in the queue (OTEL_BSP_MAX_QUEUE_SIZE, default 2048).
SETTINGS: dict[str, dict[str, str]] = {
    "default": {},
    # 40 s admits all six attempts even at +20 % jitter (the 6th at most 37.2 s after the
    # first): a batch outlives an outage of up to 24.8 s, and the next batch waits in the queue.
    "recommended": {"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "40"},
    # The batch processor's knobs alone, for comparison: the processor reads
    # OTEL_BSP_EXPORT_TIMEOUT but does not use it; a shorter delay makes smaller batches, each
    # given up after the exporter's 7 s.
    "bsp-only": {
        "OTEL_BSP_SCHEDULE_DELAY": "1000",
        "OTEL_BSP_EXPORT_TIMEOUT": "60000",
        "OTEL_BSP_MAX_QUEUE_SIZE": "8192",
    },
}
CHECKED = "recommended"  # the settings that must lose nothing
SDK_DEFAULT_QUEUE = 2048
# Inherited variables that would change the default row.
CLEARED_PREFIXES = ("OTEL_BSP_", "OTEL_EXPORTER_OTLP_")

MODEL = "openai/gpt-4o-mini"
MESSAGES = [{"role": "user", "content": "Summarise our refund policy in one line."}]
API_KEY = "sk-outage-bench"
CALL_TIMEOUT = 10.0  # s, LiteLLM's own timeout per call; the load waits this long for stragglers
FLUSH_BOUND = 60.0  # s for the final flush: a held batch's last attempt is <= 37.2 s after its first
SAMPLE_EVERY = 0.25  # s between memory and queue samples
WARM_UP_CALLS = 4
# Memory: what the queue holds during the outage (a few hundred spans; 3 MiB traced at the worst
# moment, 0.1 MiB after, in the first runs) is the only growth expected, and it must be released
# once the receiver is back and the queue drained.
RETAINED_BOUND = 8 * 2**20  # traced bytes held after the flush, more than before the load
PEAK_BOUND = 32 * 2**20  # traced bytes held at the worst moment, more than before the load
RSS_BOUND = 64 * 2**20  # resident bytes at the worst moment, more than before the load

MIB = 2**20


@dataclass
class Export:
    """One `export()` call the batch processor made: when (s after the load began), how long."""

    start: float
    seconds: float
    spans: int
    ok: bool


@dataclass
class Outcome:
    """One settings row, as the child process reports it."""

    settings: str
    env: dict[str, str]
    calls: int
    failed_calls: int
    first_error: str
    spans_created: int
    spans_received: int
    spans_given_up: int  # in batches the exporter gave up on
    spans_dropped_by_queue: int  # never handed to the exporter
    flushed: bool
    max_waiting: int  # spans ended but not yet handed to the exporter, at the worst sample
    queue_size: int
    peak_rss: int
    rss_growth: int  # peak RSS during the run over RSS before the load
    traced_peak_growth: int
    traced_retained: int
    exporter_log: dict[str, int]
    exports: list[Export] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.spans_created - self.spans_received


class EndedSpans(SpanProcessor):
    """Counts the spans that ended (the ones created for export)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def on_end(self, span: ReadableSpan) -> None:
        with self._lock:
            self.count += 1


class RecordingExporter(SpanExporter):
    """Delegates to the OTLP exporter; counts the spans handed over and keeps each call's fate."""

    def __init__(self, exporter: SpanExporter) -> None:
        self._exporter = exporter
        self._lock = threading.Lock()
        self.origin = time.monotonic()
        self.handed = 0
        self.exports: list[Export] = []

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        start = time.monotonic()
        with self._lock:
            self.handed += len(spans)
        result = self._exporter.export(spans)
        record = Export(
            round(start - self.origin, 2),
            round(time.monotonic() - start, 2),
            len(spans),
            result is SpanExportResult.SUCCESS,
        )
        with self._lock:
            self.exports.append(record)
        return result

    def shutdown(self) -> None:
        self._exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._exporter.force_flush(timeout_millis)


class ExporterLog(logging.Handler):
    """Counts the SDK's export warnings and errors by kind, instead of printing them."""

    KINDS: ClassVar[dict[str, str]] = {
        "Transient error": "retries",
        "Failed to export": "batches given up",
        "Queue full": "queue full",
    }

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts = dict.fromkeys(self.KINDS.values(), 0)

    def emit(self, record: logging.LogRecord) -> None:
        for prefix, kind in self.KINDS.items():
            if str(record.msg).startswith(prefix):
                self.counts[kind] += 1


class Sampler(threading.Thread):
    """Samples RSS and the spans waiting for the exporter until stopped (tracemalloc keeps its own peak)."""

    def __init__(self, ended: EndedSpans, exporter: RecordingExporter, provider: FakeProvider) -> None:
        super().__init__(name="outage-sampler", daemon=True)
        self._ended, self._exporter, self._provider = ended, exporter, provider
        self._stop_event = threading.Event()
        self.max_rss = rss()
        self.max_waiting = 0

    def run(self) -> None:
        while not self._stop_event.wait(SAMPLE_EVERY):
            self.max_rss = max(self.max_rss, rss())
            self.max_waiting = max(self.max_waiting, self._ended.count - self._exporter.handed)
            self._provider.reset()  # the fake provider's record of requests is not the app's memory

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)


def rss() -> int:
    """Resident bytes now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def call(index: int, provider: FakeProvider) -> None:
    """An `acompletion` for even indexes, a `completion` on a worker thread for odd ones."""
    kwargs: dict[str, Any] = {
        "model": MODEL,
        "messages": MESSAGES,
        "api_base": provider.openai_base,
        "api_key": API_KEY,
        "timeout": CALL_TIMEOUT,
    }
    if index % 2:
        await asyncio.to_thread(litellm.completion, **kwargs)
    else:
        await litellm.acompletion(**kwargs)


async def outage(receiver: OTLPReceiver, start: float, args: argparse.Namespace) -> None:
    await asyncio.sleep(max(0.0, start + args.before - time.monotonic()))
    await asyncio.to_thread(receiver.stop)
    await asyncio.sleep(max(0.0, start + args.before + args.outage - time.monotonic()))
    await asyncio.to_thread(receiver.start)


async def load(provider: FakeProvider, receiver: OTLPReceiver, args: argparse.Namespace) -> list[str]:
    """The calls at a fixed rate, whatever the earlier ones are doing; the errors they raised."""
    start = time.monotonic()
    phases = asyncio.create_task(outage(receiver, start, args))
    total = round(args.rate * (args.before + args.outage + args.after))
    calls: list[asyncio.Task[None]] = []
    for index in range(total):
        await asyncio.sleep(max(0.0, start + index / args.rate - time.monotonic()))
        calls.append(asyncio.create_task(call(index, provider)))
    done, pending = await asyncio.wait(calls, timeout=CALL_TIMEOUT + 5)
    await phases
    for future in pending:
        future.cancel()
    errors = [repr(future.exception()) for future in done if future.exception() is not None]
    return errors + ["still running after the load"] * len(pending)


def flush(tracer_provider: TracerProvider) -> bool:
    """Flush within FLUSH_BOUND: the processor's flush waits for the export in progress, unbounded."""
    flusher = threading.Thread(target=tracer_provider.force_flush, name="outage-flush", daemon=True)
    flusher.start()
    flusher.join(FLUSH_BOUND)
    return not flusher.is_alive()


@dataclass
class Tracing:
    """The SDK pipeline of one run and the counters around it."""

    tracer_provider: TracerProvider
    ended: EndedSpans
    exporter: RecordingExporter


def tracing(receiver: OTLPReceiver) -> Tracing:
    """An SDK pipeline as an application sets one up; the BSP_ and OTLP_ variables apply."""
    ended = EndedSpans()
    exporter = RecordingExporter(OTLPSpanExporter(endpoint=receiver.traces_url))
    tracer_provider = TracerProvider(resource=Resource.create({SERVICE_NAME: "litellm-otel-outage"}))
    tracer_provider.add_span_processor(ended)
    tracer_provider.add_span_processor(BatchSpanProcessor(exporter))
    return Tracing(tracer_provider, ended, exporter)


@dataclass
class Measured:
    """What the load did, and where the counters stood before it (after the warm-up)."""

    errors: list[str]
    warm_up_ids: set[bytes]
    ended_before: int
    handed_before: int
    max_rss: int
    rss_before: int
    max_waiting: int
    traced_before: int


async def warm_up_and_load(
    provider: FakeProvider, receiver: OTLPReceiver, pipeline: Tracing, args: argparse.Namespace
) -> Measured:
    """Warm up, then the load, measured; one event loop for both (LiteLLM keeps its async HTTP
    clients per loop)."""
    for index in range(WARM_UP_CALLS):
        await asyncio.wait_for(call(index, provider), CALL_TIMEOUT)
    await asyncio.to_thread(pipeline.tracer_provider.force_flush)
    warm_up_ids = {span.span.span_id for span in receiver.spans()}
    ended_before, handed_before = pipeline.ended.count, pipeline.exporter.handed
    gc.collect()
    tracemalloc.start(1)
    traced_before = tracemalloc.get_traced_memory()[0]
    rss_before = rss()
    sampler = Sampler(pipeline.ended, pipeline.exporter, provider)
    sampler.start()
    pipeline.exporter.origin = time.monotonic()
    try:
        errors = await load(provider, receiver, args)
    finally:
        sampler.stop()
    return Measured(
        errors,
        warm_up_ids,
        ended_before,
        handed_before,
        sampler.max_rss,
        rss_before,
        sampler.max_waiting,
        traced_before,
    )


def run_settings(name: str, args: argparse.Namespace) -> Outcome:
    """One settings row, in this process (the driver starts one process per row)."""
    litellm.suppress_debug_info = True
    log = ExporterLog()
    logging.getLogger("opentelemetry").addHandler(log)
    logging.getLogger("opentelemetry").propagate = False
    with FakeProvider() as provider, OTLPReceiver() as receiver:
        pipeline = tracing(receiver)
        LiteLLMInstrumentor().instrument(tracer_provider=pipeline.tracer_provider)
        measured = asyncio.run(warm_up_and_load(provider, receiver, pipeline, args))
        flushed = flush(pipeline.tracer_provider)
        gc.collect()
        traced_after, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peak_rss = max(measured.max_rss, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        created = pipeline.ended.count - measured.ended_before
        handed = pipeline.exporter.handed - measured.handed_before
        received = {span.span.span_id for span in receiver.spans()} - measured.warm_up_ids
        exports = list(pipeline.exporter.exports)
        pipeline.tracer_provider.shutdown()
        LiteLLMInstrumentor().uninstrument()
    return Outcome(
        settings=name,
        env=SETTINGS[name],
        calls=round(args.rate * (args.before + args.outage + args.after)),
        failed_calls=len(measured.errors),
        first_error=measured.errors[0] if measured.errors else "",
        spans_created=created,
        spans_received=len(received),
        spans_given_up=sum(export.spans for export in exports if not export.ok),
        spans_dropped_by_queue=created - handed,
        flushed=flushed,
        max_waiting=measured.max_waiting,
        queue_size=int(SETTINGS[name].get("OTEL_BSP_MAX_QUEUE_SIZE", SDK_DEFAULT_QUEUE)),
        peak_rss=peak_rss,
        rss_growth=measured.max_rss - measured.rss_before,
        traced_peak_growth=traced_peak - measured.traced_before,
        traced_retained=traced_after - measured.traced_before,
        exporter_log=log.counts,
        exports=[export for export in exports if export.seconds >= 0.5 or not export.ok],
    )


def child_env(name: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(CLEARED_PREFIXES)}
    return {**env, **SETTINGS[name]}


def run_child(name: str, args: argparse.Namespace) -> Outcome:
    command = [sys.executable, __file__, "--child", name]
    command += ["--rate", str(args.rate), "--before", str(args.before)]
    command += ["--outage", str(args.outage), "--after", str(args.after)]
    bound = args.before + args.outage + args.after + CALL_TIMEOUT + FLUSH_BOUND + 60
    done = subprocess.run(
        command, env=child_env(name), capture_output=True, text=True, timeout=bound, check=False
    )
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"{name}: the run failed (exit {done.returncode})")
    raw = json.loads(done.stdout.strip().splitlines()[-1])
    raw["exports"] = [Export(**export) for export in raw["exports"]]
    return Outcome(**raw)


def version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def mib(size: int) -> str:
    return f"{size / MIB:.1f}"


def table(outcomes: Sequence[Outcome]) -> str:
    header = (
        "| settings | calls | failed calls | spans created | spans received | lost | lost in given-up "
        "batches / at a full queue | peak RSS MiB (growth) | traced MiB: peak growth / held after |"
    )
    lines = [header, "|" + "---|" * header.count(" | ") + "---|"]
    for row in outcomes:
        settings = " ".join(f"{key}={value}" for key, value in row.env.items()) or "SDK defaults"
        share = f"{100 * row.lost / row.spans_created:.1f} %" if row.spans_created else "n/a"
        lines.append(
            f"| `{row.settings}`: {settings} | {row.calls} | {row.failed_calls} | {row.spans_created} | "
            f"{row.spans_received} | {row.lost} ({share}) | {row.spans_given_up} / "
            f"{row.spans_dropped_by_queue} | {mib(row.peak_rss)} (+{mib(row.rss_growth)}) | "
            f"{mib(row.traced_peak_growth)} / {mib(row.traced_retained)} |"
        )
    return "\n".join(lines)


def details(row: Outcome) -> str:
    exports = ", ".join(
        f"{export.start:.1f}s+{export.seconds:.1f}s {export.spans} {'ok' if export.ok else 'given up'}"
        for export in row.exports
    )
    log = ", ".join(f"{kind}: {count}" for kind, count in row.exporter_log.items())
    return (
        f"{row.settings}: slow or failed exports (start+duration, spans): {exports or 'none'}; "
        f"exporter log: {log}; spans waiting at most {row.max_waiting} (queue {row.queue_size})"
    )


def problems(row: Outcome) -> list[str]:
    found = []
    if row.failed_calls:
        found.append(f"{row.settings}: {row.failed_calls} LiteLLM calls failed, first: {row.first_error}")
    if not row.flushed:
        found.append(f"{row.settings}: the final flush did not finish within {FLUSH_BOUND:.0f} s")
    if (
        row.traced_retained > RETAINED_BOUND
        or row.traced_peak_growth > PEAK_BOUND
        or row.rss_growth > RSS_BOUND
    ):
        found.append(
            f"{row.settings}: memory grew {mib(row.traced_peak_growth)} MiB traced and "
            f"{mib(row.rss_growth)} MiB resident at the worst moment, and still held "
            f"{mib(row.traced_retained)} MiB after the flush (bounds {mib(PEAK_BOUND)}, "
            f"{mib(RSS_BOUND)}, {mib(RETAINED_BOUND)})"
        )
    if not any(export.seconds >= 0.5 or not export.ok for export in row.exports):
        found.append(f"{row.settings}: no export was slowed or failed: the outage never reached the exporter")
    if row.settings == CHECKED and row.lost:
        found.append(f"{row.settings}: {row.lost} spans lost")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", nargs="+", choices=sorted(SETTINGS), default=["default", CHECKED])
    parser.add_argument("--rate", type=float, default=15.0, help="calls per second")
    parser.add_argument("--before", type=float, default=10.0, help="seconds of load before the outage")
    parser.add_argument("--outage", type=float, default=20.0, help="seconds the receiver is down")
    parser.add_argument("--after", type=float, default=10.0, help="seconds of load after it is back")
    parser.add_argument("--child", choices=sorted(SETTINGS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asdict(run_settings(args.child, args))))
        return 0

    began = time.monotonic()
    exporter = "opentelemetry-exporter-otlp-proto-http"
    print(
        f"{datetime.date.today()}: LiteLLM {version('litellm')}, opentelemetry-sdk "
        f"{version('opentelemetry-sdk')}, {exporter} {version(exporter)}, "
        f"Python {sys.version.split()[0]}; {args.rate:g} calls/s for {args.before:g} s, the receiver down "
        f"{args.outage:g} s, {args.after:g} s more, then a flush",
        flush=True,
    )
    outcomes = []
    for name in args.settings:
        outcomes.append(run_child(name, args))
        print(details(outcomes[-1]), flush=True)
    print(table(outcomes))
    print(f"({time.monotonic() - began:.0f} s)")
    found = [problem for row in outcomes for problem in problems(row)]
    for problem in found:
        print(f"FAIL {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
