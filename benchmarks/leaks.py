"""Leak check: 20,000 calls and 5,000 abandoned streams leave nothing of ours behind.

Runs LiteLLM's mock path (no HTTP) bare, then with the instrumentation on, the same calls each
time after a warm-up, and counts what is still alive: spans not ended, stream proxies, calls,
the memory the process holds more than before (instrumented against bare: what LiteLLM itself
keeps is in both), and the memory tracemalloc attributes to this library's files. Exits non-zero
when anything of ours outlives its call beyond a small bound.

    nox -s leaks            # or: python benchmarks/leaks.py [--calls N] [--streams N]
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import os
import sys
import time
import tracemalloc
from collections.abc import Sequence

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, Span, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

from litellm_otel import LiteLLMInstrumentor
from litellm_otel.spans import Traced
from litellm_otel.streams import TracedStream

MESSAGES = [{"role": "user", "content": "hi"}]
STREAM_TEXT = " ".join(f"word{i}" for i in range(20))
OUR_FILES = os.path.dirname(sys.modules["litellm_otel"].__file__ or "")
# Memory allocated in our files, and memory the instrumented run holds more than the bare one,
# still alive after the run: a leak of even one small object per call (16 bytes and up) is
# more than this over the default 25,000 calls.
BOUND_BYTES = 64 * 1024
WARM_UP = 200  # calls and abandoned streams before measuring, bare and instrumented alike
# LiteLLM hands a sync call's success logging to worker threads; they finish within this.
SETTLE_SECONDS = 0.5


class CountingExporter(SpanExporter):
    """Counts ended spans and keeps none of them."""

    def __init__(self) -> None:
        self.count = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.count += len(spans)
        return SpanExportResult.SUCCESS


def live(kind: type) -> int:
    return sum(1 for obj in gc.get_objects() if isinstance(obj, kind))


def ours(snapshot: tracemalloc.Snapshot) -> int:
    return sum(
        stat.size
        for stat in snapshot.statistics("filename")
        if stat.traceback[0].filename.startswith(OUR_FILES)
    )


def calls_and_streams(calls: int, streams: int) -> None:
    for _ in range(calls):
        litellm.completion(model="gpt-4o-mini", messages=MESSAGES, mock_response="hello")
    for _ in range(streams):
        stream = litellm.completion(
            model="gpt-4o-mini", messages=MESSAGES, mock_response=STREAM_TEXT, stream=True
        )
        next(stream)
        del stream  # abandoned: its span must still end


def snapshot() -> tracemalloc.Snapshot:
    time.sleep(SETTLE_SECONDS)
    gc.collect()
    return tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(inclusive=False, filename_pattern=tracemalloc.__file__)]
    )


def growth(calls: int, streams: int) -> tuple[int, tracemalloc.Snapshot, tracemalloc.Snapshot]:
    """Bytes the process holds more after the calls than before them (after a warm-up: the first
    abandoned streams load tiktoken's ~34 MB BPE table into LiteLLM's tokenizer, once), with the
    snapshots before and after."""
    calls_and_streams(WARM_UP, WARM_UP)
    before = snapshot()
    calls_and_streams(calls, streams)
    after = snapshot()
    return sum(stat.size_diff for stat in after.compare_to(before, "filename")), before, after


def run(calls: int, streams: int) -> int:
    tracemalloc.start(1)  # one frame is enough to attribute memory to our files, and cheap
    bare_growth, _, _ = growth(calls, streams)

    exporter = CountingExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    LiteLLMInstrumentor().instrument(tracer_provider=tracer_provider, meter_provider=MeterProvider([reader]))
    total_growth, before, after = growth(calls, streams)
    tracemalloc.stop()
    ended = exporter.count - 2 * WARM_UP
    our_growth = ours(after) - ours(before)
    added = total_growth - bare_growth
    open_spans = sum(1 for obj in gc.get_objects() if isinstance(obj, Span) and obj.end_time is None)
    report = {
        "calls": calls,
        "abandoned streams": streams,
        "spans ended": ended,
        "spans still open": open_spans,
        "live stream proxies": live(TracedStream),
        "live traced calls": live(Traced),
        "memory growth, bare LiteLLM (bytes)": bare_growth,
        "memory growth, instrumented (bytes)": total_growth,
        "memory added by the instrumentation (bytes)": added,
        "  per call (bytes)": round(added / (calls + streams), 2),
        "memory still held by litellm_otel files (bytes)": our_growth,
    }
    width = max(len(k) for k in report)
    print(f"litellm {importlib.metadata.version('litellm')}, python {sys.version.split()[0]}")
    for key, value in report.items():
        print(f"{key:<{width}}  {value}")

    failures = []
    if ended != calls + streams:
        failures.append(f"{calls + streams - ended} spans never ended")
    if open_spans or report["live stream proxies"] or report["live traced calls"]:
        failures.append("objects of ours outlived their calls")
    if our_growth > BOUND_BYTES:
        failures.append(f"litellm_otel holds {our_growth} bytes more than before (bound {BOUND_BYTES})")
    if added > BOUND_BYTES:
        failures.append(
            f"the instrumented run holds {added} bytes more than the bare one (bound {BOUND_BYTES})"
        )
    for failure in failures:
        print(f"FAIL: {failure}")
    if not failures:
        print("OK: nothing of ours leaked")
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--streams", type=int, default=5_000)
    args = parser.parse_args()
    sys.exit(run(args.calls, args.streams))


if __name__ == "__main__":
    main()
