"""Development tasks: `nox -s tests`, `nox -s lint`, `nox -s typecheck`, `nox -s demo`."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "typecheck", "tests"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
# The ends of the supported range (keep OLDEST in step with litellm_otel.package._instruments).
# "latest" lets the installer pick the newest LiteLLM whose pinned dependencies the registry has.
OLDEST_LITELLM = "1.79.0"
LITELLM_VERSIONS = {"latest": "litellm >= 1.79.0, < 2", "oldest": f"litellm == {OLDEST_LITELLM}"}
# LiteLLM fetches its model price map from the network at import unless told not to.
OFFLINE_ENV = {"LITELLM_LOCAL_MODEL_COST_MAP": "True"}


@nox.session
@nox.parametrize("litellm", list(LITELLM_VERSIONS))
def tests(session: nox.Session, litellm: str) -> None:
    """The test suite against the newest and the oldest supported LiteLLM."""
    session.install("-e", ".", LITELLM_VERSIONS[litellm], *nox.project.dependency_groups(PYPROJECT, "test"))
    session.run("python", "-c", "import importlib.metadata as m; print('litellm', m.version('litellm'))")
    session.run("pytest", *session.posargs, env=OFFLINE_ENV)


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
    """The quickstart: a few LiteLLM calls against a local fake provider, spans to the console."""
    session.install("-e", ".[instruments]", "opentelemetry-sdk")
    session.run("python", "examples/quickstart.py", env=OFFLINE_ENV)


@nox.session
def bench(session: nox.Session) -> None:
    """Overhead against bare LiteLLM, the span floor and the peer instrumentations (not in CI).

    `nox -s bench -- --quick` for a short run, `-- --profile` for the hot-path profile only. The
    peers get their own virtualenvs under .nox/bench-peers, made with uv.
    """
    session.install("-e", ".[instruments]", "opentelemetry-sdk", "uv")
    session.run(
        "python", "benchmarks/run.py", "--envs", ".nox/bench-peers", *session.posargs, env=OFFLINE_ENV
    )


@nox.session
def proxy(session: nox.Session) -> None:
    """The LiteLLM proxy server under opentelemetry-instrument with FastAPI's instrumentation.

    Its dependencies (the `litellm[proxy]` extra) are heavy, so tests/proxy has this session to
    itself; the `tests` sessions skip it, and here a missing dependency fails it (NOX_PROXY=1).
    """
    session.install(
        "-e",
        ".",
        "litellm[proxy] >= 1.79.0, < 2",
        "opentelemetry-instrumentation-fastapi",
        *nox.project.dependency_groups(PYPROJECT, "test"),
    )
    session.run("python", "-c", "import importlib.metadata as m; print('litellm', m.version('litellm'))")
    session.run("pytest", "tests/proxy", *session.posargs, env={**OFFLINE_ENV, "NOX_PROXY": "1"})


@nox.session
def leaks(session: nox.Session) -> None:
    """20,000 calls and 5,000 abandoned streams: nothing of ours may outlive its call."""
    session.install("-e", ".[instruments]", "opentelemetry-sdk")
    session.run("python", "benchmarks/leaks.py", *session.posargs, env=OFFLINE_ENV)
