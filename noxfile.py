"""Development tasks: `nox -s tests-quick` (the Quickstart's), `tests`, `tests-newest`, `lint`,
`typecheck`, `demo`, `proxy`, `phoenix`, `bench`, `bench-proxy`, `leaks`.

The CI command (`.ci/run` runs it): `nox -s lint typecheck tests proxy phoenix frameworks`."""

from __future__ import annotations

import json
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "typecheck", "tests-quick"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
# The supported range, as litellm_otel.package._instruments and the `instruments` extra name it.
LITELLM_RANGE = "litellm >= 1.79.0, != 1.82.7, != 1.82.8, != 1.107.0, < 2"
# Exact releases, so a landing never depends on what the registry serves that day: the oldest
# supported, two from the middle (1.106: the dispatch layer), the last class Router (1.108), the
# Router facade over a Python core (1.109) and over the Rust-backed core (1.110, the newest).
PINNED_LITELLM = ("1.79.0", "1.90.7", "1.106.12", "1.108.14", "1.109.3", "1.110.2")
# LiteLLM fetches its model price map from the network at import unless told not to, and loads
# Llama/Mistral tokenizers from the Hugging Face Hub (to price a stream without usage): offline,
# huggingface_hub retries for 23 s or more per process before LiteLLM falls back to tiktoken.
OFFLINE_ENV = {"LITELLM_LOCAL_MODEL_COST_MAP": "True", "HF_HUB_OFFLINE": "1"}
PRINT_LITELLM = "import importlib.metadata as m; print('litellm', m.version('litellm'))"


# The oldest and newest pinned releases run every test; the ones between skip the tests marked
# `release_independent` (what they check does not depend on LiteLLM's release: each takes
# seconds in child interpreters that import LiteLLM), to keep the CI run within its budget.
EDGE_LITELLM = (PINNED_LITELLM[0], PINNED_LITELLM[-1])


# The suite spends most of its time in LiteLLM's Python and in waits on the local fake provider:
# on a 2-core machine two workers take it from 190 s to about 120 s (1.110.2).
PARALLEL = ("-n", "auto", "--maxprocesses", "4")


def _run_tests(session: nox.Session, litellm: str, *pytest_args: str) -> None:
    session.install("-e", ".", litellm, *nox.project.dependency_groups(PYPROJECT, "test"))
    session.run("python", "-c", PRINT_LITELLM)
    session.run("pytest", *PARALLEL, *pytest_args, *session.posargs, env=OFFLINE_ENV)


@nox.session
@nox.parametrize("litellm", PINNED_LITELLM)
def tests(session: nox.Session, litellm: str) -> None:
    """The test suite against each pinned LiteLLM release (the CI's release matrix)."""
    edge = litellm in EDGE_LITELLM
    _run_tests(session, f"litellm == {litellm}", *(() if edge else ("-m", "not release_independent")))


@nox.session(name="tests-quick")
def tests_quick(session: nox.Session) -> None:
    """The whole suite against the newest pinned LiteLLM release: the Quickstart's green, in
    minutes; `nox -s tests` runs the release matrix."""
    _run_tests(session, f"litellm == {PINNED_LITELLM[-1]}")


@nox.session(name="tests-newest")
def tests_newest(session: nox.Session) -> None:
    """The suite against the newest LiteLLM the installer can resolve today: the early warning for
    LiteLLM's next rewrite, run every session and reported, not a landing gate."""
    _run_tests(session, LITELLM_RANGE)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package, the tests and the examples."""
    session.install("-e", ".[instruments]", *nox.project.dependency_groups(PYPROJECT, "typecheck"))
    session.run("mypy", env=OFFLINE_ENV)


@nox.session
def demo(session: nox.Session) -> None:
    """The quickstart: a few LiteLLM calls against a local fake provider, their spans as a tree
    (`nox -s demo -- --json` for the console exporter's JSON)."""
    session.install("-e", ".[instruments]", "opentelemetry-sdk")
    session.run("python", "examples/quickstart.py", *session.posargs, env=OFFLINE_ENV)


# The overhead benchmark runs on the oldest supported LiteLLM and the newest (which ships its own
# OTel v2 callback, one of the peers): the README's overhead tables name both.
BENCH_LITELLM = ("1.79.0", "1.110.2")


@nox.session
@nox.parametrize("litellm", BENCH_LITELLM)
def bench(session: nox.Session, litellm: str) -> None:
    """Overhead against bare LiteLLM, the span floor and the peer instrumentations (not in CI).

    `nox -s bench` runs on each of BENCH_LITELLM, `nox -s "bench(litellm='1.110.2')"` on one;
    `-- --quick` for a short run, `-- --profile` for the hot-path profile only. The peers get
    their own virtualenvs under .nox/bench-peers (one per LiteLLM release), made with uv.
    """
    session.install("-e", ".", f"litellm == {litellm}", "opentelemetry-sdk", "uv")
    session.run(
        "python", "benchmarks/run.py", "--envs", ".nox/bench-peers", *session.posargs, env=OFFLINE_ENV
    )


# 1.108.7 is the newest release whose `litellm[proxy]` installs as published from the registry
# here (1.108.8+ pin companion releases it does not serve); 1.110.2 runs the proxy of the newest
# Router, its extra's dependencies installed one by one (see _install_proxy_dependencies).
PROXY_LITELLM = ("1.108.7", "1.110.2")
# Companions the proxy extra pins exactly. litellm-proxy (1.110) is not served here and the proxy's
# code ships in the litellm wheel itself; the other two are taken at the newest release served.
_PROXY_COMPANIONS = {"litellm-proxy": None, "litellm-proxy-extras": "", "litellm-enterprise": ""}
_PROXY_REQUIREMENTS = """
import importlib.metadata, json, sys
from packaging.requirements import Requirement
companions = json.loads(sys.argv[1])
for line in importlib.metadata.requires("litellm") or []:
    r = Requirement(line)
    if r.marker is None or not r.marker.evaluate({"extra": "proxy"}) or r.marker.evaluate({"extra": ""}):
        continue
    if r.name in companions:
        if companions[r.name] is not None:
            print(r.name)
        continue
    r.marker = None
    print(r)
"""


def _install_proxy_dependencies(session: nox.Session, litellm: str) -> None:
    try:
        session.install(f"litellm[proxy] == {litellm}")
        return
    except Exception:  # nox raises CommandFailed on an unsatisfiable pin
        session.log(f"litellm[proxy] == {litellm} does not resolve here: installing its extra by hand")
    session.install(f"litellm == {litellm}", "packaging")
    listed = session.run(
        "python", "-c", _PROXY_REQUIREMENTS, json.dumps(_PROXY_COMPANIONS), silent=True, env=OFFLINE_ENV
    )
    session.install(*str(listed).split())


@nox.session
@nox.parametrize("litellm", PROXY_LITELLM)
def proxy(session: nox.Session, litellm: str) -> None:
    """The LiteLLM proxy server under opentelemetry-instrument with FastAPI's instrumentation.

    Its dependencies (the `litellm[proxy]` extra) are heavy, so tests/proxy has this session to
    itself; the `tests` sessions skip it, and here a missing dependency fails it (NOX_PROXY=1).
    """
    # The anthropic SDK is the client of the proxy's /v1/messages route.
    session.install(
        "-e",
        ".",
        "opentelemetry-instrumentation-fastapi",
        "anthropic",
        *nox.project.dependency_groups(PYPROJECT, "test"),
    )
    _install_proxy_dependencies(session, litellm)
    session.run("python", "-c", PRINT_LITELLM)
    session.run("pytest", "tests/proxy", *session.posargs, env={**OFFLINE_ENV, "NOX_PROXY": "1"})


# The proxy's overhead is measured on the newest pinned release (the README's "through the proxy"
# table names it), installed as the `proxy` session installs it.
BENCH_PROXY_LITELLM = PINNED_LITELLM[-1]


@nox.session(name="bench-proxy")
def bench_proxy(session: nox.Session) -> None:
    """The real LiteLLM proxy measured per request: bare, FastAPI's instrumentation alone, the
    README recipe, LiteLLM's own `otel` callback and its OTel v2, in alternating rounds (not in
    CI; about 15 minutes on 2 cores). `-- --quick` for one short round, `-- --instructions
    bare,fastapi-only,recipe` for callgrind's counts of one worker, `-- --profile recipe,fastapi-only`
    for one worker under py-spy; `-- --help` for the rest (benchmarks/proxy.py).
    """
    session.install(
        "-e",
        ".",
        "opentelemetry-distro",
        "opentelemetry-instrumentation-fastapi",
        "opentelemetry-exporter-otlp-proto-http",
        "py-spy",
    )
    _install_proxy_dependencies(session, BENCH_PROXY_LITELLM)
    session.run("python", "-c", PRINT_LITELLM)
    session.run("python", "benchmarks/proxy.py", *session.posargs, env=OFFLINE_ENV)


# The Phoenix release the backend test reads back from; a venv of its own (about 500 MB of
# dependencies), with the newest LiteLLM pinned.
PHOENIX = "arize-phoenix == 20.26.1"
PHOENIX_LITELLM = "litellm == 1.110.2"


@nox.session
def phoenix(session: nox.Session) -> None:
    """A real Arize Phoenix server on 127.0.0.1: what it shows for our spans, without and with the
    `openinference` vocabulary (tests/backends). The `tests` sessions skip it; here a missing
    dependency fails it (NOX_PHOENIX=1). What Phoenix returned is kept in .nox/phoenix-readback.json.
    """
    session.install("-e", ".", PHOENIX_LITELLM, PHOENIX, *nox.project.dependency_groups(PYPROJECT, "test"))
    session.run("python", "-c", PRINT_LITELLM)
    readback = str(Path(".nox", "phoenix-readback.json").resolve())
    env = {**OFFLINE_ENV, "NOX_PHOENIX": "1", "PHOENIX_READBACK": readback}
    session.run("pytest", "tests/backends", *session.posargs, env=env)


@nox.session
def leaks(session: nox.Session) -> None:
    """20,000 calls and 5,000 abandoned streams: nothing of ours may outlive its call."""
    session.install("-e", ".[instruments]", "opentelemetry-sdk")
    session.run("python", "benchmarks/leaks.py", *session.posargs, env=OFFLINE_ENV)


# The SDK release whose batch processor and OTLP/HTTP exporter the outage figures in README.md
# were measured with: how long a batch is retried is the exporter's, and changes between releases.
OUTAGE_OTEL = ("opentelemetry-sdk == 1.45.2", "opentelemetry-exporter-otlp-proto-http == 1.45.2")


@nox.session
def outage(session: nox.Session) -> None:
    """The OTLP receiver down for 20 s under 15 LiteLLM calls/s, with the SDK's default settings and
    the recommended ones: calls failed, spans lost, memory held (not in CI, about 2 minutes)."""
    session.install("-e", ".", f"litellm == {PINNED_LITELLM[-1]}", *OUTAGE_OTEL)
    session.run("python", "benchmarks/outage.py", *session.posargs, env=OFFLINE_ENV)


# Agent frameworks that call LiteLLM, at the releases README.md's "Frameworks" section was read
# from. The four resolve together with the newest pinned LiteLLM: one virtualenv.
FRAMEWORKS = (
    "google-adk == 2.15.0",
    "dspy == 3.4.1",
    "smolagents[litellm] == 1.26.0",
    "openai-agents == 0.25.0",
    # DSPy's Predict.batch threads keep the caller's context only with it (tests/frameworks).
    "opentelemetry-instrumentation-threading",
)


@nox.session
def frameworks(session: nox.Session) -> None:
    """Agent loops with a tool call in Google ADK, DSPy, smolagents and the OpenAI Agents SDK,
    through LiteLLM against the fake provider: one trace, and its usage sum equal to what the
    provider served (tests/frameworks). The `tests` sessions skip them; here a missing framework
    fails (NOX_FRAMEWORKS=1)."""
    session.install(
        "-e",
        ".",
        f"litellm == {PINNED_LITELLM[-1]}",
        *FRAMEWORKS,
        *nox.project.dependency_groups(PYPROJECT, "test"),
    )
    session.run("python", "-c", PRINT_LITELLM)
    session.run("pytest", "tests/frameworks", *session.posargs, env={**OFFLINE_ENV, "NOX_FRAMEWORKS": "1"})
