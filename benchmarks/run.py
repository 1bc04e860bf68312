"""The overhead benchmark: litellm-otel against bare LiteLLM, the span floor and the peers.

    nox -s bench                    # what it needs is installed; peers in their own virtualenvs
    nox -s bench -- --quick         # a short run (fewer rounds and calls)
    nox -s bench -- --profile       # only the profile of litellm-otel's hot path
    python benchmarks/run.py --envs /tmp/bench-envs   # from an environment that has it all

Every subject (litellm-otel and each peer instrumentation) is measured by
`benchmarks/overhead.py` in its own process; the peers run from virtualenvs made with uv next
to each other under --envs, with the same LiteLLM and OpenTelemetry SDK versions as ours where
their requirements allow. A peer that cannot be installed or run is reported, not fatal.

Exit status: 0 when every target is met, 1 when one is missed (the table says which), 2 when
litellm-otel itself could not be measured. CI does not run this.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime
import importlib
import importlib.metadata
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OVERHEAD = HERE / "overhead.py"

OURS = "ours"
V2 = "litellm_v2"
# Peer subject -> the package that provides it on the registry. LiteLLM's own OTel v2 callback
# comes with LiteLLM (>= 1.110): it runs in this environment, beside the same LiteLLM as ours.
PEERS = {
    "openinference": "openinference-instrumentation-litellm",
    "openllmetry": "opentelemetry-instrumentation-litellm",
    V2: None,
}
LABELS = {
    OURS: "litellm-otel",
    "openinference": "openinference-instrumentation-litellm",
    "openllmetry": "opentelemetry-instrumentation-litellm",
    V2: "LiteLLM's own OTel v2 callback (LITELLM_OTEL_V2)",
}
SHORT_LABELS = {
    OURS: "litellm-otel",
    "openinference": "openinference",
    "openllmetry": "opentelemetry-instr.-litellm",
    V2: "litellm OTel v2 (async only)",
}

# Targets (issue #15), each a ratio of figures measured in the same run.
FLOOR_FACTOR = 1.5  # one isolated call <= 1.5 x the floor (traces only / with the same points)
CHUNK_TARGET_US = 2.0  # added CPU per streamed chunk

Stats = tuple[float, float, float]  # first quartile, median, third quartile


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def quartiles(values: Sequence[float]) -> Stats:
    if not values:
        return (float("nan"),) * 3
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


# --- machine, versions, environments ---------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def usable_cpus() -> int:
    with contextlib.suppress(AttributeError):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 0


def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' with uncommitted changes in src/' if dirty else ''}"


def machine_lines() -> list[str]:
    load = " ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    now = datetime.datetime.now(datetime.timezone.utc)
    return [
        f"date:    {now:%Y-%m-%d %H:%M UTC}; litellm-otel at git {git_state()}",
        f"machine: {usable_cpus()} CPUs usable (nproc), {cpu_model()}; "
        f"{platform.system()} {platform.release()}; load average {load}",
        f"python:  {platform.python_implementation()} {platform.python_version()} ({sys.executable})",
    ]


def find_uv() -> str | None:
    beside = Path(sys.executable).parent / "uv"
    if beside.exists():
        return str(beside)
    on_path = shutil.which("uv")
    if on_path:
        return on_path
    with contextlib.suppress(ImportError, FileNotFoundError):
        return str(importlib.import_module("uv").find_uv_bin())
    return None


def installed(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def peer_python(subject: str, envs: Path) -> tuple[str | None, str]:
    """A virtualenv with the peer, LiteLLM and the OpenTelemetry SDK: its python, or why not."""
    if PEERS[subject] is None:
        return sys.executable, ""  # comes with LiteLLM itself
    uv = find_uv()
    if uv is None:
        return None, "uv not found (pip install uv)"
    # One virtualenv per subject and LiteLLM release: the bench runs on several.
    env = envs / f"{subject}-litellm-{installed('litellm')}"
    python = env / "bin" / "python"
    if not python.exists():
        made = subprocess.run(
            [uv, "venv", "--quiet", "--python", sys.executable, str(env)],
            capture_output=True,
            text=True,
            check=False,
        )
        if made.returncode != 0:
            return None, f"could not create a virtualenv: {last_line(made.stderr)}"
    litellm, sdk = installed("litellm"), installed("opentelemetry-sdk")
    pins = [f"litellm=={litellm}"] if litellm else ["litellm"]
    attempts = [[*pins, f"opentelemetry-sdk=={sdk}"], pins] if sdk else [pins]
    reason = ""
    for requirements in attempts:
        log(f"installing {PEERS[subject]} with {', '.join(requirements)} into {env}")
        done = subprocess.run(
            [
                uv,
                "pip",
                "install",
                "--quiet",
                "--python",
                str(python),
                str(PEERS[subject]),
                "opentelemetry-sdk",
                *requirements,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            return str(python), ""
        reason = last_line(done.stderr)
    return None, f"install failed: {reason}"


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no output"


# --- running one subject -------------------------------------------------------------------------


def run_subject(
    python: str,
    subject: str,
    mode: str,
    extra: Sequence[str],
    *,
    prefix: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> tuple[dict[str, Any] | None, str]:
    """Runs overhead.py for one subject and mode (under `prefix`, e.g. valgrind): its JSON
    result, or why there is none."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        command = [
            *prefix,
            python,
            str(OVERHEAD),
            "--subject",
            subject,
            "--mode",
            mode,
            "--out",
            str(out),
            *extra,
        ]
        env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "PYTHONUNBUFFERED": "1", **(env or {})}
        tail: collections.deque[str] = collections.deque(maxlen=40)
        # The subject's stdout goes to our stderr with its progress: stdout is the report's.
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        ) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                tail.append(line)
                sys.stderr.write(f"    [{subject}] {line}")
            code = proc.wait()
        if out.exists():
            result: dict[str, Any] = json.loads(out.read_text())
            if "unavailable" in result:
                return None, str(result["unavailable"])
            return result, ""
    errors = [line for line in tail if "Error" in line or "Exception" in line]
    return None, f"{last_line(errors[-1] if errors else ''.join(tail))} (exit {code})"


def run_vocabularies(quick: bool) -> str:
    """vocabularies.py's table (each backend vocabulary against none), or why there is none."""
    command = [sys.executable, str(HERE / "vocabularies.py"), *(["--quick"] if quick else [])]
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        return f"not measurable: {last_line(done.stderr)} (exit {done.returncode})"
    return done.stdout.rstrip()


# --- summarising -------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a subject's table: per-call figures in microseconds."""

    label: str
    key: str  # stable key across subjects for the comparison
    batch: str
    spans: float | None
    bare_wall: float | None
    bare_cpu: float | None
    added_wall: Stats
    added_cpu: Stats
    note: str = ""
    cpu_rounds: tuple[float, ...] = ()  # the added CPU of each round, in the order of the floor's


# callgrind's client requests, for overhead.py's instructions mode: count only between the two.
_CALLGRIND_HELPER = """#include <valgrind/callgrind.h>
void bench_count_start(void) {
    CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; CALLGRIND_TOGGLE_COLLECT;
}
void bench_count_stop(const char *label) {
    CALLGRIND_TOGGLE_COLLECT; CALLGRIND_DUMP_STATS_AT(label); CALLGRIND_STOP_INSTRUMENTATION;
}
"""
# Subjects counted: those that trace a sync stream (LiteLLM's OTel v2 hooks async calls only).
INSTRUCTION_SUBJECTS = (OURS, "openinference", "openllmetry")


def callgrind_helper(directory: Path) -> tuple[str | None, str]:
    """The client-request library built in `directory`, or why it cannot be."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if shutil.which("valgrind") is None:
        return None, "valgrind is not installed"
    if compiler is None:
        return None, "no C compiler to build callgrind's client-request helper"
    source, library = directory / "bench_callgrind.c", directory / "bench_callgrind.so"
    source.write_text(_CALLGRIND_HELPER)
    built = subprocess.run(
        [compiler, "-O2", "-shared", "-fPIC", "-o", str(library), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0:
        return None, f"could not build callgrind's client-request helper: {last_line(built.stderr)}"
    return str(library), ""


def count_instructions(
    subjects: Sequence[tuple[str, str | None, str]], skipped: dict[str, str]
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Each subject's instructions result (overhead.py under callgrind), or why there is none.
    Counts do not depend on the machine's load, so two subjects run at a time."""
    results: dict[str, dict[str, Any]] = {}
    why_not: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        helper, reason = callgrind_helper(Path(tmp))
        if helper is None:
            return {}, {subject: reason for subject, _, _ in subjects}

        def one(subject: str, python: str | None, reason: str) -> None:
            if python is None or subject in skipped:
                why_not[subject] = skipped.get(subject, reason)
                return
            out = Path(tmp) / f"callgrind.{subject}"
            log(f"-- instructions {LABELS[subject]} (under callgrind)")
            result, why = run_subject(
                python,
                subject,
                "instructions",
                ["--callgrind-helper", helper, "--callgrind-out", str(out)],
                prefix=[
                    "valgrind",
                    "--tool=callgrind",
                    "--instr-atstart=no",
                    "--collect-atstart=no",
                    # Each thread's counts on their own: a LiteLLM worker thread that runs in a
                    # counted batch shows in the log (overhead.py sums the threads).
                    "--separate-threads=yes",
                    f"--callgrind-out-file={out}",
                ],
                env={"PYTHONHASHSEED": "0"},  # the same dict layouts, run after run
            )
            if result is None or "instructions" not in result:
                why_not[subject] = why or str((result or {}).get("instructions_error"))
            else:
                results[subject] = result

        with ThreadPoolExecutor(max_workers=max(1, min(2, usable_cpus()))) as pool:
            list(pool.map(lambda entry: one(*entry), subjects))
    return results, why_not


def merged(passes: list[dict[str, Any]]) -> dict[str, Any]:
    """One subject's timing result from the processes it ran in: every scenario's rounds and the
    floor's, pooled. A process draws its own memory layout and hash seed, which move a stream's
    fixed cost by a third or more from one process to the next on this kind of machine; pooled
    rounds from processes interleaved with the other subjects' compare them like for like."""
    first = passes[0]
    result = {**first, "passes": len(passes), "seconds": sum(p["seconds"] for p in passes)}
    result["floor"] = {
        "batch": first["floor"]["batch"],
        "rounds": [r for p in passes for r in p["floor"]["rounds"]],
    }
    scenarios = []
    for scenario in first["scenarios"]:
        key = (scenario["group"], scenario["name"])
        same = [s for p in passes for s in p["scenarios"] if (s["group"], s["name"]) == key]
        errors = [s["error"] for s in same if s["error"]]
        scenarios.append(
            {
                **scenario,
                "error": errors[0] if errors else None,
                "rounds": [r for s in same for r in s["rounds"]],
            }
        )
    result["scenarios"] = scenarios
    return result


def per_round(rounds: list[dict[str, float]], field: str) -> list[float]:
    return [r[f"inst_{field}"] - r[f"bare_{field}"] for r in rounds]


def scenario_rows(result: dict[str, Any]) -> tuple[list[Row], dict[str, str]]:
    """The table rows of one subject's timing result, and the scenarios it could not measure."""
    rows: list[Row] = []
    failed: dict[str, str] = {}
    by_name = {f"{s['group']} {s['name']}": s for s in result["scenarios"]}
    for key, scenario in by_name.items():
        if scenario["error"]:
            failed[key] = scenario["error"]
            continue
        rounds = scenario["rounds"]
        if not rounds:
            failed[key] = "no rounds"
            continue
        wall = [value / 1000 for value in per_round(rounds, "wall")]
        cpu = [value / 1000 for value in per_round(rounds, "cpu")]
        bare_wall = statistics.median(r["bare_wall"] for r in rounds) / 1000
        bare_cpu = statistics.median(r["bare_cpu"] for r in rounds) / 1000
        stray = max(r["bare_spans"] for r in rounds)
        note = f"bare batches made {stray:g} span(s)/call: uninstrument() incomplete" if stray else ""
        isolated = scenario["group"].startswith("isolated")
        label = key if isolated or not scenario["chunks"] else f"{key} ({scenario['chunks']} chunks)"
        rows.append(
            Row(
                label,
                key,
                f"{scenario['batch']}x{len(rounds)}",
                scenario["spans_per_call"],
                None if isolated else bare_wall,
                None if isolated else bare_cpu,
                quartiles(wall),
                quartiles(cpu),
                note,
                tuple(cpu),
            )
        )
        if scenario["group"] == "mock" and scenario["chunks"]:
            n = scenario["chunks"]
            rows.append(
                Row(
                    f"  per chunk (stream / {n}, span included)",
                    f"{key} per chunk",
                    "",
                    None,
                    bare_wall / n,
                    bare_cpu / n,
                    quartiles([v / n for v in wall]),
                    quartiles([v / n for v in cpu]),
                    cpu_rounds=tuple(v / n for v in cpu),
                )
            )
    lengths = result["isolated_stream_lengths"]
    for group in ("isolated", "isolated traces-only"):
        for stream, what in CHUNK_SLOPES:
            rows.extend(chunk_rows(by_name, group, lengths, stream, what))
    return rows, failed


# The isolated streams measured at two lengths, by the name their scenarios start with, and what
# their slope rows are called: LiteLLM's chat chunks; the Messages API's SSE bytes, one event a
# chunk and several to a chunk (the slope then per event); Gemini's generateContent SSE bytes.
CHUNK_SLOPES = (
    ("stream", ""),
    ("messages sse", "messages "),
    ("messages sse packed", "messages packed "),
    ("generate_content sse", "generate_content "),
)


def chunk_rows(
    by_name: dict[str, dict[str, Any]], group: str, lengths: list[int], stream: str = "stream", what: str = ""
) -> list[Row]:
    """Per-chunk cost as the slope between the isolated short and long streams, round by round,
    and the per-stream cost that remains; per SSE event for streams whose chunks hold several."""
    short, long = (by_name.get(f"{group} {stream} {n}") for n in lengths)
    if not short or not long or short["error"] or long["error"]:
        return []
    pairs = list(zip(short["rounds"], long["rounds"], strict=False))
    unit = "event" if short.get("events") else "chunk"
    first, last = (s.get("events") or s["chunks"] for s in (short, long))
    span = last - first
    slopes: dict[str, list[float]] = {}
    fixed: dict[str, list[float]] = {}
    for field in ("wall", "cpu"):
        s = [(b[f"inst_{field}"] - b[f"bare_{field}"]) / 1000 for b, _ in pairs]
        lo = [(b[f"inst_{field}"] - b[f"bare_{field}"]) / 1000 for _, b in pairs]
        slopes[field] = [(y - x) / span for x, y in zip(s, lo, strict=True)]
        fixed[field] = [x - k * first for x, k in zip(s, slopes[field], strict=True)]
    count = f"x{len(pairs)}"
    return [
        Row(
            f"{group} {what}per {unit} (slope {lengths[0]}->{lengths[1]})",
            f"{group} {what}per {unit}",
            count,
            None,
            None,
            None,
            quartiles(slopes["wall"]),
            quartiles(slopes["cpu"]),
            cpu_rounds=tuple(slopes["cpu"]),
        ),
        Row(
            f"{group} {what}per stream w/o {unit}s",
            f"{group} {what}per stream",
            count,
            None,
            None,
            None,
            quartiles(fixed["wall"]),
            quartiles(fixed["cpu"]),
            cpu_rounds=tuple(fixed["cpu"]),
        ),
    ]


def fmt(value: float | None, width: int = 8) -> str:
    if value is None or math.isnan(value):
        return f"{'-':>{width}}"
    if abs(value) >= 100:
        return f"{value:>{width}.0f}"
    return f"{value:>{width}.{1 if abs(value) >= 10 else 2}f}"


def fmt_stats(stats: Stats) -> str:
    q1, median, q3 = stats
    return f"{fmt(median)} [{fmt(q1, 0).strip()}, {fmt(q3, 0).strip()}]"


def percent(added: float, bare: float | None) -> str:
    if bare is None or bare <= 0:
        return f"{'-':>7}"
    return f"{added / bare * 100:>+6.1f}%"


def floor_stats(result: dict[str, Any], prefix: str = "") -> tuple[Stats, Stats]:
    """The floor span's wall and CPU us; with prefix "metrics_", the span and the four metric
    points of a priced GenAI call."""
    rounds = result["floor"]["rounds"]
    return (
        quartiles([r[prefix + "wall"] / 1000 for r in rounds]),
        quartiles([r[prefix + "cpu"] / 1000 for r in rounds]),
    )


def in_floors(row: Row, result: dict[str, Any], prefix: str = "") -> Stats:
    """The row's added CPU in floors, round by round: each round's figure divided by the floor
    timed in that round (same process, seconds before), quartiles over the rounds. A shared host
    that slows down for a while slows both alike; the ratio of the two medians took them from
    different rounds, and on a host that ran slow in bursts it read 0.91x for the traces-only call
    that callgrind counted at 1.23x (2026-12-07: floor rounds of 24 and of 37-50 us in one run).
    A row whose rounds do not line up with the floor's (the HTTP ones, timed every few rounds) is
    divided by the floor's median."""
    floors = [r[prefix + "cpu"] / 1000 for r in result["floor"]["rounds"]]
    if not row.cpu_rounds or not floors:
        return (float("nan"),) * 3
    if len(row.cpu_rounds) != len(floors):
        floor = statistics.median(floors)
        return quartiles([value / floor for value in row.cpu_rounds])
    return quartiles([value / floor for value, floor in zip(row.cpu_rounds, floors, strict=True)])


# The scenario column: the longest label, "isolated traces-only generate_content per chunk (slope
# 10->410)", fits.
LABEL_WIDTH = 63
HEADER = (
    f"{'scenario':<{LABEL_WIDTH}} {'batch':>7} {'spans':>5} {'bare wall':>9} {'bare CPU':>9}  "
    f"{'added wall [IQR]':<26} {'added CPU [IQR]':<26} {'+wall':>7} {'+CPU':>7} {'CPU/floor':>9}"
)


def subject_table(result: dict[str, Any]) -> list[str]:
    rows, failed = scenario_rows(result)
    floor_wall, floor_cpu = floor_stats(result)
    lines = [
        f"floor: one SDK span, 15 attributes, start + end, into InMemorySpanExporter: "
        f"wall {fmt_stats(floor_wall).strip()} us, CPU {fmt_stats(floor_cpu).strip()} us "
        f"({result['floor']['batch']} spans x {len(result['floor']['rounds'])} rounds)",
        "floor with metrics: the same span, then a duration, two token-usage and a cost histogram "
        "point (6 attributes, exemplars of the span): "
        f"CPU {fmt_stats(floor_stats(result, 'metrics_')[1]).strip()} us",
        HEADER,
    ]
    for row in rows:
        spans = f"{row.spans:>5g}" if row.spans is not None else f"{'':>5}"
        lines.append(
            f"{row.label:<{LABEL_WIDTH}} {row.batch:>7} {spans} "
            f"{fmt(row.bare_wall, 9)} {fmt(row.bare_cpu, 9)}  "
            f"{fmt_stats(row.added_wall):<26} {fmt_stats(row.added_cpu):<26} "
            f"{percent(row.added_wall[1], row.bare_wall)} {percent(row.added_cpu[1], row.bare_cpu)} "
            f"{in_floors(row, result)[1]:>8.2f}x" + (f"  !! {row.note}" if row.note else "")
        )
    lines.extend(f"{key:<{LABEL_WIDTH}} not measurable: {reason}" for key, reason in failed.items())
    return lines


def comparison_table(results: dict[str, dict[str, Any]], order: list[str]) -> list[str]:
    tables = {subject: scenario_rows(result) for subject, result in results.items()}
    keys: list[str] = []
    labels: dict[str, str] = {}
    for subject in order:
        if subject in tables:
            for row in tables[subject][0]:
                if row.key not in labels:
                    keys.append(row.key)
                    labels[row.key] = row.key if row.label.startswith(" ") else row.label
    width = 28
    lines = [
        f"{'scenario':<{LABEL_WIDTH}} "
        + " ".join(f"{SHORT_LABELS[s]:<{width}}" for s in order if s in tables)
    ]
    for key in keys:
        cells = []
        for subject in order:
            if subject not in tables:
                continue
            rows, failed = tables[subject]
            found = next((r for r in rows if r.key == key), None)
            if found is not None:
                cells.append(f"{fmt_stats(found.added_cpu).strip():<{width}}")
            else:
                cells.append(f"{'n/a' if key not in failed else 'not measurable':<{width}}")
        lines.append(f"{labels[key]:<{LABEL_WIDTH}} " + " ".join(cells))
    return lines


def carries_table(results: dict[str, dict[str, Any]], order: list[str]) -> list[str]:
    """Per scenario and subject: attributes per span, token usage and cost on a span or not,
    and metric points per call."""
    width = 38
    subjects = [s for s in order if s in results]
    lines = [f"{'scenario':<{LABEL_WIDTH}} " + " ".join(f"{SHORT_LABELS[s]:<{width}}" for s in subjects)]
    keys: list[str] = []
    for subject in subjects:
        keys.extend(
            k for k in (f"{s['group']} {s['name']}" for s in results[subject]["scenarios"]) if k not in keys
        )
    for key in keys:
        cells = []
        for subject in subjects:
            found = next(
                (s for s in results[subject]["scenarios"] if f"{s['group']} {s['name']}" == key), None
            )
            carries = found.get("carries") if found is not None else None
            if not carries:
                cells.append(f"{'n/a':<{width}}")
                continue
            cell = (
                f"{carries['attributes']} attrs, usage {'yes' if carries['usage'] else 'NO'}, "
                f"cost {'yes' if carries['cost'] else 'NO'}, {carries['points']:g} pts"
            )
            cells.append(f"{cell:<{width}}")
        lines.append(f"{key:<{LABEL_WIDTH}} " + " ".join(cells))
    return lines


# --- targets -----------------------------------------------------------------------------------

MET, MISSED, INFO = "met", "MISSED", "info"
Verdict = tuple[str, str]  # MET / MISSED (gated) or INFO (reported only), and the sentence


def ratio(mine: float, other: float) -> str:
    return f"{mine / other:.2f}x" if other > 0 else "n/a"


def _carries(result: dict[str, Any], key: str) -> dict[str, Any]:
    found = next((s for s in result["scenarios"] if f"{s['group']} {s['name']}" == key), None)
    return (found or {}).get("carries") or {}


def yes_no(flag: object) -> str:
    return "yes" if flag else "NO"


def _gate(ok: bool) -> str:
    return MET if ok else MISSED


def targets(results: dict[str, dict[str, Any]]) -> list[Verdict]:
    """The issue's targets, each a ratio of two figures of this run (gated: the exit status),
    then the other comparisons with the peers (reported: LiteLLM's mock path moves by more
    than the differences from one run to the next)."""
    ours = results[OURS]
    rows, _ = scenario_rows(ours)
    by_key = {row.key: row for row in rows}
    _, metrics_floor_cpu = floor_stats(ours, "metrics_")
    verdicts: list[Verdict] = []
    # One call, our code alone (LiteLLM stubbed out): traces only against the span floor, with
    # metrics against the span plus the same four points (duration, input, output, cost); each
    # round against the floor timed in that round (see in_floors). The Messages API's call
    # (`litellm.anthropic_messages`) and a transcription (`litellm.atranscription`) within the
    # same targets as chat's.
    for key, prefix, what in (
        ("isolated traces-only completion", "", "floor"),
        ("isolated completion", "metrics_", "floor with metrics (4 points)"),
        ("isolated traces-only messages", "", "floor"),
        ("isolated messages", "metrics_", "floor with metrics (4 points)"),
        ("isolated traces-only transcription", "", "floor"),
        ("isolated transcription", "metrics_", "floor with metrics (4 points)"),
    ):
        row = by_key.get(key)
        if row is None:
            verdicts.append((MISSED, f"{key}: not measured"))
            continue
        points = _carries(ours, key).get("points")
        times = in_floors(row, ours, prefix)
        verdicts.append(
            (
                _gate(times[1] <= FLOOR_FACTOR),
                f"{key}: added CPU {row.added_cpu[1]:.1f} us = {times[1]:.2f}x [{times[0]:.2f}, "
                f"{times[2]:.2f}] the {what} of the same round (median of rounds; the {what} "
                f"{floor_stats(ours, prefix)[1][1]:.1f} us; target <= {FLOOR_FACTOR:g}x)"
                + (f"; litellm-otel recorded {points:g} points per call" if points is not None else ""),
            )
        )
    for key, what in (
        ("isolated per chunk", "streamed chunk"),
        ("isolated messages per chunk", "Messages API SSE chunk, one event a chunk"),
        ("isolated generate_content per chunk", "generateContent SSE chunk, one event a chunk"),
    ):
        chunk = by_key.get(key)
        verdicts.append(
            (MISSED, f"{what}: not measured")
            if chunk is None
            else (
                _gate(chunk.added_cpu[1] <= CHUNK_TARGET_US),
                f"{what} (isolated slope): added CPU {chunk.added_cpu[1]:.2f} us "
                f"= {ratio(chunk.added_cpu[1], CHUNK_TARGET_US)} the {CHUNK_TARGET_US:g} us target",
            )
        )
    verdicts.extend(messages_stream_figures(ours, by_key))
    verdicts.extend(generate_content_stream_figures(ours, by_key))
    verdicts.extend(stream_targets(results, by_key))
    verdicts.extend(peer_comparisons(results, by_key, metrics_floor_cpu[1]))
    return verdicts


def messages_stream_figures(ours: dict[str, Any], by_key: dict[str, Row]) -> list[Verdict]:
    """Reported: a Messages API stream's fixed cost (no peer traces `litellm.anthropic_messages`
    to compare it with) and its cost per event where several events share a chunk."""
    verdicts: list[Verdict] = []
    per_stream = by_key.get("isolated traces-only messages per stream")
    chat = by_key.get("isolated traces-only per stream")
    if per_stream is not None:
        carries = _carries(ours, "isolated traces-only messages sse 10")
        verdicts.append(
            (
                INFO,
                f"Messages API stream, fixed cost (isolated, traces only): added CPU "
                f"{per_stream.added_cpu[1]:.1f} us = {in_floors(per_stream, ours)[1]:.2f} floors"
                + (f" (chat's {in_floors(chat, ours)[1]:.2f})" if chat is not None else "")
                + f"; usage {yes_no(carries.get('usage'))}, cost {yes_no(carries.get('cost'))} on its span",
            )
        )
    packed = by_key.get("isolated traces-only messages packed per event")
    packed_stream = by_key.get("isolated traces-only messages packed per stream")
    if packed is not None and packed_stream is not None:
        verdicts.append(
            (
                INFO,
                "Messages API SSE events, several a chunk (isolated slope, traces only): added CPU "
                f"{packed.added_cpu[1]:.2f} us per event, {packed_stream.added_cpu[1]:.1f} us per stream "
                "w/o events",
            )
        )
    return verdicts


def generate_content_stream_figures(ours: dict[str, Any], by_key: dict[str, Row]) -> list[Verdict]:
    """Reported: a streamed generateContent's fixed cost (no peer traces
    `litellm.google_genai.agenerate_content_stream` to compare it with)."""
    per_stream = by_key.get("isolated traces-only generate_content per stream")
    if per_stream is None:
        return []
    chat = by_key.get("isolated traces-only per stream")
    carries = _carries(ours, "isolated traces-only generate_content sse 10")
    return [
        (
            INFO,
            f"generateContent stream, fixed cost (isolated, traces only): added CPU "
            f"{per_stream.added_cpu[1]:.1f} us = {in_floors(per_stream, ours)[1]:.2f} floors"
            + (f" (chat's {in_floors(chat, ours)[1]:.2f})" if chat is not None else "")
            + f"; usage {yes_no(carries.get('usage'))}, cost {yes_no(carries.get('cost'))} on its span",
        )
    ]


def _stream_pair(peer: dict[str, Row], result: dict[str, Any]) -> tuple[str, str] | None:
    """Our row and the peer's to compare a stream's fixed cost on, with the same metric points:
    traces only on both sides where the peer has that variant or records no metrics at all; for
    a callback inside LiteLLM (its OTel v2), the two-chunk mock async stream, metrics on both."""
    if "isolated traces-only per stream" in peer:
        return "isolated traces-only per stream", "isolated traces-only per stream"
    if "isolated per stream" in peer:
        if not _carries(result, "isolated stream 10").get("points"):
            return "isolated traces-only per stream", "isolated per stream"
        return "isolated per stream", "isolated per stream"
    if "mock astream short" in peer:
        return "mock astream short", "mock astream short"
    return None


def stream_targets(results: dict[str, dict[str, Any]], by_key: dict[str, Row]) -> list[Verdict]:
    """Fixed cost per stream <= the cheapest peer's, with usage and cost on our stream span.

    Compared with each peer at the same number of metric points (see _stream_pair), so that a
    peer recording one point does not look cheaper for recording less; with metrics against
    peers that record fewer points, the figures are reported. Subjects run one after the other,
    each in its own process: the comparison is in units of each one's own floor, round by round
    (`in_floors`), so a change of machine load between their runs cancels out."""
    ours = results[OURS]
    carries = _carries(ours, "isolated stream 10")
    verdicts: list[Verdict] = [
        (
            _gate(bool(carries.get("usage")) and bool(carries.get("cost"))),
            "our stream span carries usage and cost: "
            f"usage {yes_no(carries.get('usage'))}, cost {yes_no(carries.get('cost'))}",
        )
    ]
    my_floor = floor_stats(ours)[1][1]
    for subject, result in results.items():
        if subject == OURS:
            continue
        peer = {row.key: row for row in scenario_rows(result)[0]}
        pair = _stream_pair(peer, result)
        if pair is None or pair[0] not in by_key:
            continue
        my_key, their_key = pair
        mine, theirs = by_key[my_key], peer[their_key]
        their_floor = floor_stats(result)[1][1]
        mine_f, theirs_f = in_floors(mine, ours)[1], in_floors(theirs, result)[1]
        relative = mine_f / theirs_f if theirs_f > 0 else float("inf")
        recorded = _carries(
            result,
            {
                "mock astream short": "mock astream short",
                "isolated traces-only per stream": "isolated traces-only stream 10",
            }.get(their_key, "isolated stream 10"),
        )
        verdicts.append(
            (
                _gate(mine_f <= 0 or 0 < relative <= 1.0),
                f"fixed cost per stream vs {LABELS[subject]} (ours: {my_key}, theirs: {their_key}): "
                f"{mine_f:.2f} vs {theirs_f:.2f} floors = {relative:.2f}x (target <= 1x; added CPU "
                f"{mine.added_cpu[1]:.0f} vs {theirs.added_cpu[1]:.0f} us, floors {my_floor:.1f} vs "
                f"{their_floor:.1f} us; it records usage {yes_no(recorded.get('usage'))}, cost "
                f"{yes_no(recorded.get('cost'))}, {recorded.get('points', 0):g} points)"
                + (" (interquartile ranges overlap)" if _overlap(mine, theirs) else ""),
            )
        )
        if (
            my_key != "isolated per stream"
            and "isolated per stream" in peer
            and "isolated per stream" in by_key
        ):
            mine_m, theirs_m = by_key["isolated per stream"], peer["isolated per stream"]
            verdicts.append(
                (
                    INFO,
                    f"fixed cost per stream with metrics vs {LABELS[subject]}: "
                    f"{in_floors(mine_m, ours)[1]:.2f} vs "
                    f"{in_floors(theirs_m, result)[1]:.2f} floors "
                    f"(added CPU {mine_m.added_cpu[1]:.0f} vs {theirs_m.added_cpu[1]:.0f} us; metric points "
                    f"per stream {carries.get('points', 0):g} vs "
                    f"{_carries(result, 'isolated stream 10').get('points', 0):g})",
                )
            )
    return verdicts


def instruction_targets(counted: dict[str, dict[str, Any]], why_not: dict[str, str]) -> list[Verdict]:
    """Fixed cost per stream <= each peer's, in instructions (callgrind): the same comparison as
    the timed one, on figures that do not move with the machine's load; each in units of its
    own floor span's count, measured in the same process."""
    if OURS not in counted:
        return [(INFO, f"instructions per stream: not counted: {why_not.get(OURS, 'not run')}")]
    ours = counted[OURS]["instructions"]
    verdicts = call_instruction_targets(ours)
    for subject in INSTRUCTION_SUBJECTS[1:]:
        if subject not in counted:
            if subject in why_not:
                verdicts.append((INFO, f"instructions vs {LABELS[subject]}: not counted: {why_not[subject]}"))
            continue
        theirs = counted[subject]["instructions"]
        mine_f, theirs_f = ours["per_stream"] / ours["floor"], theirs["per_stream"] / theirs["floor"]
        relative = mine_f / theirs_f if theirs_f > 0 else float("inf")
        verdicts.append(
            (
                _gate(0 < relative <= 1.0),
                f"fixed cost per stream vs {LABELS[subject]}, in instructions (callgrind, isolated "
                f"traces-only): {mine_f:.2f} vs {theirs_f:.2f} floors = {relative:.2f}x (target <= 1x; "
                f"{ours['per_stream'] / 1000:.0f}k vs {theirs['per_stream'] / 1000:.0f}k instructions, "
                f"floors {ours['floor'] / 1000:.0f}k vs {theirs['floor'] / 1000:.0f}k)",
            )
        )
        verdicts.append(
            (
                INFO,
                f"per streamed chunk vs {LABELS[subject]}, in instructions: "
                f"{ours['per_chunk'] / 1000:.1f}k vs {theirs['per_chunk'] / 1000:.1f}k = "
                f"{ratio(ours['per_chunk'], theirs['per_chunk'])}",
            )
        )
    return verdicts


def call_instruction_targets(ours: dict[str, Any]) -> list[Verdict]:
    """One call <= FLOOR_FACTOR x its floor, a chat completion, a Messages API call and a
    transcription: traces only against the floor span, with metrics against the floor span plus
    the same four points; the timed targets again, in callgrind's counts from one process. (On
    2026-12-02 the with-metrics counts read 725k or 495k for the floor from run to run, every
    thread counted as one; on 2026-12-03 fourteen counts in eight processes read 725.2k-727.9k,
    before and after LiteLLM's worker threads started. The threads are now counted apart, so a
    worker thread's share of a batch shows in the log.)"""
    verdicts: list[Verdict] = []
    for name, what in (
        ("completion", "isolated completion"),
        ("messages", "isolated Messages API call"),
        ("transcription", "isolated transcription"),
    ):
        call = ours.get(name)
        if not call or "inst" not in call or not call.get("inst_spans"):
            verdicts.append((INFO, f"{what}, in instructions: no traced call was counted"))
            continue
        for key, floor, label in (
            ("inst", ours["floor"], "the floor"),
            ("inst_metrics", ours["floor_metrics"], "the floor with metrics (4 points)"),
        ):
            added = call[key] - call["bare"]
            times = added / floor
            verdicts.append(
                (
                    _gate(0 < times <= FLOOR_FACTOR),
                    f"{what}, {'traces only' if key == 'inst' else 'with metrics'}, in "
                    f"instructions (callgrind): {added / 1000:.0f}k = {times:.2f}x {label} "
                    f"{floor / 1000:.0f}k (target <= {FLOOR_FACTOR:g}x)",
                )
            )
    for name, what in (("messages_streams", "Messages API"), ("generate_content_streams", "generateContent")):
        streams = ours.get(name)
        if not streams or not streams.get("traced"):
            continue
        verdicts.append(
            (
                INFO,
                f"{what} stream, one SSE event a chunk, in instructions (callgrind, traces only): "
                f"{streams['per_chunk'] / 1000:.1f}k per chunk (chat's {ours['per_chunk'] / 1000:.1f}k), "
                f"{streams['per_stream'] / 1000:.0f}k per stream w/o chunks = "
                f"{streams['per_stream'] / ours['floor']:.2f} floors (chat's "
                f"{ours['per_stream'] / ours['floor']:.2f})",
            )
        )
    return verdicts


def _overlap(a: Row, b: Row) -> bool:
    return a.added_cpu[0] <= b.added_cpu[2] and b.added_cpu[0] <= a.added_cpu[2]


# Compared with each peer and reported; the HTTP rows are left out: their latency jitter is
# larger than the differences.
COMPARED = (
    "mock completion",
    "mock acompletion",
    "mock stream",
    "mock astream",
    "mock astream short",
    "mock embedding",
    "mock router.acompletion",
    "isolated completion",
    "isolated per chunk",
)


def peer_comparisons(
    results: dict[str, dict[str, Any]], by_key: dict[str, Row], metrics_floor: float
) -> list[Verdict]:
    verdicts: list[Verdict] = []
    completion = by_key.get("mock completion")
    if completion is not None:
        # Reported, not gated: the mock row is a 3 ms LiteLLM call whose run-to-run noise is
        # larger than our whole cost, and it records metrics, so its floor is the one with them.
        verdicts.append(
            (
                INFO,
                f"mock completion: added CPU {completion.added_cpu[1]:.1f} us = "
                f"{ratio(completion.added_cpu[1], metrics_floor)} floor with metrics",
            )
        )
    for subject, result in results.items():
        if subject == OURS:
            continue
        for row in scenario_rows(result)[0]:
            mine = by_key.get(row.key)
            if mine is None or row.key not in COMPARED:
                continue
            verdicts.append(
                (
                    INFO,
                    f"{row.key}: added CPU {mine.added_cpu[1]:.1f} us vs {LABELS[subject]} "
                    f"{row.added_cpu[1]:.1f} us = {ratio(mine.added_cpu[1], row.added_cpu[1])}"
                    + (" (interquartile ranges overlap)" if _overlap(mine, row) else ""),
                )
            )
    return verdicts


# --- memory and profile --------------------------------------------------------------------


def memory_table(result: dict[str, Any]) -> list[str]:
    lines = [
        "bytes allocated during the calls and still allocated after them and gc.collect(), per call "
        "(tracemalloc started after a warm-up; spans exported to memory and cleared every 500 calls)",
        f"{'case':<32} {'calls':>6} {'bare B/call':>12} {'instr. B/call':>14} {'added B/call':>13} "
        f"{'in litellm_otel':>16} {'in opentelemetry':>17} {'spans ended':>12}",
    ]
    for row in result["memory"]:
        bare, inst = row["bare"], row["inst"]
        n = inst["calls"]
        case = f"{row['group']} {row['name']}"
        lines.append(
            f"{case:<32} {n:>6} {bare['bytes'] / n:>12.1f} {inst['bytes'] / n:>14.1f} "
            f"{(inst['bytes'] - bare['bytes']) / n:>13.1f} {inst['bytes_in_litellm_otel'] / n:>16.1f} "
            f"{inst['bytes_in_opentelemetry'] / n:>17.1f} {inst['spans']:>6}/{n:<5}"
        )
    for row in result["memory"]:
        top = ", ".join(f"{t['site']} {t['bytes'] / 1024:.1f} KiB" for t in row["inst"]["top"][:3])
        lines.append(f"  largest held, instrumented {row['group']} {row['name']}: {top or 'nothing'}")
    return lines


def profile_row(row: dict[str, Any]) -> str:
    return f"  {row['tottime_us']:>8.1f} {row['cumtime_us']:>9.1f} {row['calls']:>6.1f}  {row['function']}"


def profile_lines(result: dict[str, Any]) -> list[str]:
    lines = []
    for name, profile in result["profile"].items():
        calls, sums = profile["calls"], profile["tottime_us"]
        what = {
            "completion": "mock completions",
            "stream": "50-chunk mock streams, read to the end",
            "isolated completion": "completions, LiteLLM replaced by a stub (our code and the SDK alone)",
            "isolated stream": "50-chunk streams, LiteLLM replaced by a stub replaying its chunks",
            "isolated messages": "Messages API calls (litellm.anthropic_messages replaced by a stub "
            "returning a Messages dict)",
            "isolated messages stream": "50-event Messages API streams, one SSE event a chunk "
            "(litellm.anthropic_messages replaced by a stub replaying them)",
            "isolated transcription": "transcriptions (litellm.atranscription replaced by a stub "
            "returning a TranscriptionResponse)",
            "isolated generate_content stream": "50-event generateContent streams, one SSE event a chunk "
            "(litellm.google_genai.agenerate_content_stream replaced by a stub replaying them)",
        }.get(name, name)
        lines.append(
            f"cProfile, {calls} instrumented {what}; us per call, inflated by the profiler: total "
            f"{sums['all']:.0f}, self time in litellm_otel {sums['litellm_otel']:.0f}, "
            f"in opentelemetry {sums['opentelemetry']:.0f}"
        )
        lines.append(
            f"  {'self us':>8} {'cum us':>9} {'calls':>6}  function (litellm_otel and opentelemetry only)"
        )
        lines.extend(profile_row(row) for row in profile["top"])
        lines.append("  litellm_otel functions by cumulative time (LiteLLM work they call included):")
        lines.extend(profile_row(row) for row in profile["top_ours_cumulative"])
    return lines


# --- main --------------------------------------------------------------------------------------


def instructions_table(counted: dict[str, dict[str, Any]], order: list[str]) -> list[str]:
    first = next(iter(counted.values()))["instructions"]
    short, long = f"{first['short']['chunks']} chunks", f"{first['long']['chunks']} chunks"
    lines = [
        "instructions per call counted by callgrind (PYTHONHASHSEED=0; repeatable to within 1%): the floor "
        "span, each stream bare and instrumented; per chunk = slope between the two lengths, per "
        "stream = the fixed part",
        f"{'subject':<30} {'floor':>8} {'bare ' + short:>16} {'inst ' + short:>16} {'bare ' + long:>17} "
        f"{'inst ' + long:>17} {'per chunk':>10} {'per stream':>11} {'in floors':>10}",
    ]
    for subject in order:
        if subject not in counted:
            continue
        c = counted[subject]["instructions"]
        lines.append(
            f"{SHORT_LABELS[subject]:<30} {c['floor']:>8.0f} {c['short']['bare']:>16.0f} "
            f"{c['short']['inst']:>16.0f} {c['long']['bare']:>17.0f} {c['long']['inst']:>17.0f} "
            f"{c['per_chunk']:>10.0f} {c['per_stream']:>11.0f} {c['per_stream'] / c['floor']:>10.2f}"
        )
    lines.append(
        "one isolated completion: bare, traced (added, in floors), traced with metrics (added, in "
        "floors with the same 4 points)"
    )
    lines.append(
        f"{'subject':<30} {'floor':>8} {'floor+metrics':>14} {'bare':>9} {'traced':>16} {'with metrics':>16}"
    )
    for subject in order:
        c = counted.get(subject, {}).get("instructions", {})
        for name, suffix in (
            ("completion", ""),
            ("messages", " (Messages API)"),
            ("transcription", " (transcription)"),
        ):
            call = c.get(name)
            if not call:
                continue
            if "inst" not in call:
                lines.append(
                    f"{SHORT_LABELS[subject] + suffix:<30} not traced: its instrumented call made no span"
                )
                continue
            traced, metered = call["inst"] - call["bare"], call["inst_metrics"] - call["bare"]
            lines.append(
                f"{SHORT_LABELS[subject] + suffix:<30} {c['floor']:>8.0f} {c['floor_metrics']:>14.0f} "
                f"{call['bare']:>9.0f} {traced:>9.0f} {traced / c['floor']:>5.2f}x "
                f"{metered:>9.0f} {metered / c['floor_metrics']:>5.2f}x"
            )
    lines.extend(
        sse_instructions_lines(
            counted,
            order,
            "messages_streams",
            "Messages API streams (litellm.anthropic_messages stubbed out, SSE bytes, one event a chunk), "
            "traces only",
        )
    )
    lines.extend(
        sse_instructions_lines(
            counted,
            order,
            "generate_content_streams",
            "generateContent streams (litellm.google_genai.agenerate_content_stream stubbed out, Gemini's "
            "SSE bytes, one event a chunk), traces only",
        )
    )
    lines.extend(mock_instructions_lines(counted, order))
    return lines


def sse_instructions_lines(
    counted: dict[str, dict[str, Any]], order: list[str], key: str, title: str
) -> list[str]:
    """Isolated streams of SSE bytes (the Messages API's under `key` "messages_streams",
    generateContent's under "generate_content_streams"), one event a chunk, bare and traced
    (traces only)."""
    rows = [
        (subject, c["floor"], c[key])
        for subject in order
        if (c := counted.get(subject, {}).get("instructions", {})).get(key, {}).get("traced")
    ]
    if not rows:
        return []
    first = rows[0][2]
    short, long = f"{first['short']['chunks']} chunks", f"{first['long']['chunks']} chunks"
    lines = [
        title,
        f"{'subject':<30} {'floor':>8} {'bare ' + short:>16} {'inst ' + short:>16} {'bare ' + long:>17} "
        f"{'inst ' + long:>17} {'per chunk':>10} {'per stream':>11} {'in floors':>10}",
    ]
    for subject, floor, m in rows:
        lines.append(
            f"{SHORT_LABELS[subject]:<30} {floor:>8.0f} {m['short']['bare']:>16.0f} "
            f"{m['short']['inst']:>16.0f} {m['long']['bare']:>17.0f} {m['long']['inst']:>17.0f} "
            f"{m['per_chunk']:>10.0f} {m['per_stream']:>11.0f} {m['per_stream'] / floor:>10.2f}"
        )
    return lines


def mock_instructions_lines(counted: dict[str, dict[str, Any]], order: list[str]) -> list[str]:
    """A real LiteLLM call (mock_response=) bare and traced, every thread counted: what tracing
    adds there beyond what the isolated call showed is work it makes LiteLLM do (or hooks of its
    own inside LiteLLM's call)."""
    rows = [
        (subject, c["mock"], c["completion"])
        for subject in order
        if "mock" in (c := counted.get(subject, {}).get("instructions", {})) and "completion" in c
    ]
    if not rows:
        return []
    calls = rows[0][1]["calls"]
    lines = [
        f"one mock completion (LiteLLM's own path, {calls} calls a batch, every thread, its logging "
        "threads included): bare, traced (traces only, added), the isolated call's added, and the "
        "difference",
        f"{'subject':<30} {'bare':>10} {'traced':>10} {'isolated':>10} {'beyond it':>10} {'spans':>6}",
    ]
    for subject, mock, isolated in rows:
        added, alone = mock["inst"] - mock["bare"], isolated["inst"] - isolated["bare"]
        lines.append(
            f"{SHORT_LABELS[subject]:<30} {mock['bare']:>10.0f} {added:>10.0f} {alone:>10.0f} "
            f"{added - alone:>10.0f} {mock['inst_spans']:>6g}"
        )
    return lines


def section(title: str) -> str:
    return f"\n== {title}"


def print_report(measured: Measured, order: list[str]) -> None:
    results, skipped, memory, profile = measured.results, measured.skipped, measured.memory, measured.profile
    out: list[str] = ["litellm-otel overhead benchmark", *(measured.machine or machine_lines())]
    for subject in order:
        source = (
            results.get(subject)
            or (memory if subject == OURS else None)
            or (profile if subject == OURS else None)
        )
        if source is not None:
            listed = ", ".join(f"{name} {version}" for name, version in source["versions"].items())
            out.append(f"measured {LABELS[subject]}: {listed} (python {source['python']})")
        elif subject in skipped:
            out.append(f"measured {LABELS[subject]}: not measurable: {skipped[subject]}")
    if results:
        out.append(
            "method: per scenario and round, a bare and an instrumented batch back to back in one process "
            "(order alternating; instrument()/uninstrument() between them, one untimed call after each "
            "switch); added = instrumented - bare per call, median [first, third quartile] over rounds, "
            "in microseconds, the rounds pooled from each subject's processes (interleaved with the "
            "other subjects'); wall = perf_counter, CPU = process_time (all threads). mock = "
            "mock_response=, no HTTP; http = real HTTP to examples/fake_provider/; isolated = "
            "litellm.completion (messages: litellm.anthropic_messages; transcription: "
            "litellm.atranscription; generate_content: litellm.google_genai.agenerate_content_stream) "
            "replaced by a stub returning pre-built LiteLLM objects (a Messages dict, a "
            "TranscriptionResponse, SSE bytes), so the bare call costs ~0 and only the instrumentation "
            "is timed. spans = spans per instrumented call."
        )
    for subject in order:
        if subject in results:
            out.append(section(f"{LABELS[subject]} ({results[subject]['seconds']:.0f} s)"))
            out.extend(subject_table(results[subject]))
        elif subject in skipped:
            out.append(section(f"{LABELS[subject]}: not measurable: {skipped[subject]}"))
    if len(results) > 1:
        out.append(
            section("added CPU us per call, median [IQR], all subjects (each against its own bare batches)")
        )
        out.extend(comparison_table(results, order))
    if results:
        out.append(section("what one instrumented call recorded: times are like for like only where this is"))
        out.extend(carries_table(results, order))
    if measured.vocabularies is not None:
        out.append(section("backend vocabularies, litellm-otel (benchmarks/vocabularies.py)"))
        out.append(measured.vocabularies)
    if measured.instructions:
        out.append(section("instructions (callgrind), isolated streams, traces only"))
        out.extend(instructions_table(measured.instructions, order))
    if memory is not None:
        out.append(section("memory, litellm-otel"))
        out.extend(memory_table(memory))
    if profile is not None:
        out.append(section("profile, litellm-otel hot path"))
        out.extend(profile_lines(profile))
    print("\n".join(out), flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="few rounds and calls: a run of a few minutes")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="only profile litellm-otel's hot path (longer listing, pstats files kept under --envs)",
    )
    parser.add_argument("--envs", type=Path, default=HERE / ".envs", help="where the peers' virtualenvs go")
    parser.add_argument(
        "--passes",
        type=int,
        default=3,
        help="processes per subject, interleaved with the others', sharing the rounds (1 with --quick)",
    )
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-vocabularies", action="store_true")
    parser.add_argument("--skip-profile", action="store_true")
    parser.add_argument(
        "--skip-instructions", action="store_true", help="no callgrind counts (they take a few minutes)"
    )
    parser.add_argument("--json", type=Path, help="also write every raw result to this file")
    parser.add_argument(
        "--from-json", type=Path, help="measure nothing: report the raw results a --json run wrote"
    )
    parser.add_argument("overhead_args", nargs="*", help="passed to overhead.py (after --), e.g. --rounds 40")
    return parser.parse_args(argv)


@dataclass
class Measured:
    results: dict[str, dict[str, Any]]  # subject -> timing result
    skipped: dict[str, str]  # subject -> why it could not be measured
    memory: dict[str, Any] | None = None
    profile: dict[str, Any] | None = None
    vocabularies: str | None = None  # vocabularies.py's report
    instructions: dict[str, dict[str, Any]] | None = None  # subject -> instructions result
    not_counted: dict[str, str] | None = None  # subject -> why it has no instruction counts
    machine: list[str] | None = None  # date, git state, machine and Python, as the run began


def measure(args: argparse.Namespace) -> Measured:
    extra = [*(["--quick"] if args.quick else []), *args.overhead_args]
    measured = Measured({}, {}, machine=machine_lines())

    passes = 1 if args.quick else args.passes
    timed: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)

    def time_subject(subject: str, python: str | None, reason: str, index: int) -> None:
        if subject in measured.skipped:
            return
        log(f"-- time {LABELS[subject]} (process {index + 1} of {passes})")
        arguments = [*extra, "--share", str(passes)]
        result, why = run_subject(python, subject, "time", arguments) if python else (None, reason)
        if result is None:
            measured.skipped[subject] = why
            timed.pop(subject, None)
        else:
            timed[subject].append(result)

    if not args.profile:
        subjects: list[tuple[str, str | None, str]] = [(OURS, sys.executable, "")]
        if not args.skip_peers:
            args.envs.mkdir(parents=True, exist_ok=True)
            subjects += [(peer, *peer_python(peer, args.envs)) for peer in PEERS]
        for index in range(passes):  # interleaved: ours, each peer, ours, each peer, ...
            for subject, python, reason in subjects:
                time_subject(subject, python, reason, index)
        measured.results = {subject: merged(results) for subject, results in timed.items()}
        if not args.skip_instructions:
            counted = [entry for entry in subjects if entry[0] in INSTRUCTION_SUBJECTS]
            measured.instructions, measured.not_counted = count_instructions(counted, measured.skipped)
        if not args.skip_vocabularies:
            log("-- vocabularies litellm-otel")
            measured.vocabularies = run_vocabularies(args.quick)
        if not args.skip_memory:
            log("-- memory litellm-otel")
            measured.memory, why = run_subject(sys.executable, OURS, "memory", extra)
            if measured.memory is None:
                log(f"memory: not measurable: {why}")
    if args.profile or not args.skip_profile:
        log("-- profile litellm-otel")
        if args.profile:
            args.envs.mkdir(parents=True, exist_ok=True)
            prefix = args.envs.resolve() / "profile"
            extra = [*extra, "--profile-top", "30", "--profile-out", str(prefix)]
            log(f"pstats files: {prefix}.*.prof")
        measured.profile, why = run_subject(sys.executable, OURS, "profile", extra)
        if measured.profile is None:
            log(f"profile: not measurable: {why}")
    return measured


def report_targets(measured: Measured) -> int:
    verdicts = targets(measured.results)
    if measured.instructions is not None:
        verdicts.extend(instruction_targets(measured.instructions, measured.not_counted or {}))
    print(section("targets (gated: the exit status) and comparisons (reported)"))
    for status, text in verdicts:
        print(f"[{status}] {text}")
    gated = [status for status, _ in verdicts if status != INFO]
    missed = gated.count(MISSED)
    print(f"{len(gated) - missed} of {len(gated)} targets met" + ("; missed above" if missed else ""))
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json is not None:
        print(f"(reported from {args.from_json}, the raw results of an earlier run)")
        measured = Measured(**json.loads(args.from_json.read_text()))
    else:
        measured = measure(args)
    if args.json is not None:
        args.json.write_text(json.dumps(measured.__dict__, indent=1))
    print_report(measured, [OURS, *PEERS])
    if args.profile:
        return 0 if measured.profile is not None else 2
    if OURS not in measured.results:
        print(f"\nlitellm-otel could not be measured: {measured.skipped.get(OURS)}")
        return 2
    return report_targets(measured)


if __name__ == "__main__":
    sys.exit(main())
