"""What a user sees in a real Arize Phoenix: our spans exported over OTLP/HTTP, read back through
Phoenix's own REST and GraphQL APIs, without and with the `openinference` vocabulary.

One Phoenix server (sqlite in a temporary PHOENIX_WORKING_DIR, every port on 127.0.0.1; see
serve.py for its gRPC receiver) serves the module. Each mode exports to a Phoenix project of its
own (the `openinference.project.name` resource attribute) an Anthropic-style call with cache
reads, cache writes and thinking, and an OpenAI-style call with cached and reasoning tokens, both
through LiteLLM against the fake provider. Phoenix stores spans in the background: reads poll
until a deadline.

Phoenix is heavy, so this directory has its own nox session (``nox -s phoenix``). Elsewhere the
module skips itself when Phoenix is not installed; under that session (``NOX_PHOENIX=1``) a
missing dependency is an error. With PHOENIX_READBACK set, what Phoenix returned is written
there as JSON.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import litellm
import pytest
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import anthropic_args, openai_args
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc

if importlib.util.find_spec("phoenix") is None:
    _REASON = "the Phoenix test needs arize-phoenix, which is not installed"
    if os.environ.get("NOX_PHOENIX") == "1":
        pytest.fail(_REASON, pytrace=False)  # the phoenix session must not pass by skipping
    pytest.skip(f"{_REASON} (run `nox -s phoenix`)", allow_module_level=True)

SERVE = Path(__file__).resolve().parent / "serve.py"
STARTUP_TIMEOUT = 240.0  # Phoenix imports and migrates its database for tens of seconds
READ_TIMEOUT = 60.0
LOOPBACK = ("127.0.0.1", "::ffff:127.0.0.1", "::1")

# Phoenix's own prices (phoenix/server/cost_tracking/model_cost_manifest.json in 20.26.1), USD
# per token; Phoenix never reads a span's cost, it prices the tokens itself.
CLAUDE_SONNET_4_5 = {"input": 3e-06, "output": 1.5e-05, "cache_read": 3e-07, "cache_write": 3.75e-06}
GPT_4O_MINI = {"input": 1.5e-07, "output": 6e-07, "cache_read": 7.5e-08}
ANTHROPIC_INPUT = (
    fp.ANTHROPIC_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
)

SPAN_QUERY = """
query ($id: ID!) {
  node(id: $id) {
    ... on Span {
      name
      spanKind
      tokenCountPrompt
      tokenCountCompletion
      tokenCountTotal
      tokenPromptDetails { cacheRead cacheWrite }
      costSummary { prompt { tokens cost } completion { tokens cost } total { tokens cost } }
      costDetailSummaryEntries { tokenType isPrompt value { tokens cost } }
    }
  }
}
"""


@dataclass(frozen=True)
class Phoenix:
    url: str
    pid: int


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _graphql(phoenix: Phoenix, query: str, variables: dict[str, Any]) -> Any:
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        f"{phoenix.url}/graphql", data=body, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)
    assert "errors" not in answer, answer
    return answer["data"]


@pytest.fixture(scope="module")
def phoenix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Phoenix]:
    port = _free_port()
    env = {
        **os.environ,
        "PHOENIX_WORKING_DIR": str(tmp_path_factory.mktemp("phoenix")),
        "PHOENIX_HOST": "127.0.0.1",
        "PHOENIX_PORT": str(port),
        "PHOENIX_GRPC_PORT": str(_free_port()),
        "PHOENIX_TELEMETRY_ENABLED": "false",
    }
    log = tmp_path_factory.mktemp("phoenix-log") / "phoenix.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, str(SERVE)], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"Phoenix exited ({process.returncode}):\n{log.read_text()[-4000:]}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Phoenix did not start within {STARTUP_TIMEOUT} s:\n{log.read_text()[-4000:]}")
            time.sleep(0.5)
        yield Phoenix(url=url, pid=process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _listening_addresses(pid: int) -> list[str]:
    """The local addresses of the TCP sockets a process listens on, from /proc (Linux)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    addresses = []
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state != "0A" or inode not in inodes:  # 0A: LISTEN
                continue
            host_hex = local.split(":")[0]
            raw = bytes.fromhex(host_hex)
            # /proc prints each 32-bit word in host (little-endian) order.
            packed = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            addresses.append(socket.inet_ntop(family, packed))
    return addresses


@pytest.mark.skipif(not Path("/proc/self/net/tcp").exists(), reason="reads listening sockets from /proc")
def test_phoenix_listens_on_loopback_only(phoenix: Phoenix) -> None:
    addresses = _listening_addresses(phoenix.pid)
    assert len(addresses) >= 2, addresses  # HTTP and gRPC
    assert all(address in LOOPBACK for address in addresses), addresses


def _export_two_calls(phoenix: Phoenix, project: str, vocabularies: list[str]) -> dict[str, dict[str, Any]]:
    """Our two calls, exported to Phoenix's project; returns our own spans' attributes by name."""
    ours = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"openinference.project.name": project}))
    provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=f"{phoenix.url}/v1/traces")))
    provider.add_span_processor(SimpleSpanProcessor(ours))
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=provider, vocabularies=vocabularies)
    try:
        with FakeProvider() as fake:
            litellm.completion(**anthropic_args(fake))
            litellm.completion(**openai_args(fake))
    finally:
        instrumentor.uninstrument()
        provider.shutdown()
    return {span.name: dict(span.attributes or {}) for span in ours.get_finished_spans()}


def _phoenix_spans(phoenix: Phoenix, project: str, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + READ_TIMEOUT
    while True:
        try:
            spans: list[dict[str, Any]] = _get(f"{phoenix.url}/v1/projects/{project}/spans")["data"]
        except urllib.error.HTTPError as error:  # 404 until the project's first span is stored
            if error.code != 404:
                raise
            spans = []
        if len(spans) >= count:
            return spans
        if time.monotonic() > deadline:
            pytest.fail(f"Phoenix shows {len(spans)} of {count} spans after {READ_TIMEOUT} s")
        time.sleep(0.5)


def _read_back(phoenix: Phoenix, project: str) -> dict[str, dict[str, Any]]:
    """Per span name: Phoenix's stored attributes (REST) and what its UI shows (GraphQL)."""
    seen = {}
    for span in _phoenix_spans(phoenix, project, 2):
        shown = _graphql(phoenix, SPAN_QUERY, {"id": span["id"]})["node"]
        seen[span["name"]] = {"rest": span, "graphql": shown}
    return seen


def _entries(shown: dict[str, Any]) -> dict[str, tuple[float, float]]:
    return {
        entry["tokenType"]: (entry["value"]["tokens"], entry["value"]["cost"])
        for entry in shown["costDetailSummaryEntries"]
    }


@pytest.fixture(scope="module")
def readback(phoenix: Phoenix) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for mode, vocabularies in (("without", []), ("with-openinference", ["openinference"])):
        project = f"litellm-otel-{mode}"
        ours = _export_two_calls(phoenix, project, vocabularies)
        results[mode] = {"ours": ours, "phoenix": _read_back(phoenix, project)}
    target = os.environ.get("PHOENIX_READBACK")
    if target:
        Path(target).write_text(json.dumps(results, indent=2, default=str))
    return results


ANTHROPIC = "chat anthropic/claude-sonnet-4-5"
OPENAI = "chat openai/gpt-4o-mini"


# Phoenix prices prompt - cache_read - cache_write at the input rate (the fake's uncached 34) and
# prices reasoning at the output rate when a model has no reasoning price.
ANTHROPIC_COST = (
    fp.ANTHROPIC_INPUT_TOKENS * CLAUDE_SONNET_4_5["input"]
    + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS * CLAUDE_SONNET_4_5["cache_read"]
    + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS * CLAUDE_SONNET_4_5["cache_write"]
    + fp.ANTHROPIC_OUTPUT_TOKENS * CLAUDE_SONNET_4_5["output"]
)


OPENAI_COST = (
    (fp.CHAT_PROMPT_TOKENS - fp.CHAT_CACHED_TOKENS) * GPT_4O_MINI["input"]
    + fp.CHAT_CACHED_TOKENS * GPT_4O_MINI["cache_read"]
    + fp.CHAT_COMPLETION_TOKENS * GPT_4O_MINI["output"]
)


@pytest.mark.parametrize("mode", ["without", "with-openinference"])
def test_anthropic_call_tokens_cache_and_cost(readback: dict[str, Any], mode: str) -> None:
    shown = readback[mode]["phoenix"][ANTHROPIC]["graphql"]
    assert shown["spanKind"] == "llm"
    assert (shown["tokenCountPrompt"], shown["tokenCountCompletion"], shown["tokenCountTotal"]) == (
        ANTHROPIC_INPUT,
        fp.ANTHROPIC_OUTPUT_TOKENS,
        ANTHROPIC_INPUT + fp.ANTHROPIC_OUTPUT_TOKENS,
    )
    assert shown["tokenPromptDetails"] == {
        "cacheRead": fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS,
        "cacheWrite": fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
    }
    # Reasoning is priced at the output rate, so the total is the same with or without the
    # vocabulary: nothing counted twice.
    assert shown["costSummary"]["total"]["cost"] == pytest.approx(ANTHROPIC_COST, rel=1e-9)
    ours = readback[mode]["ours"][ANTHROPIC]
    assert shown["costSummary"]["total"]["cost"] == pytest.approx(ours[sc.GEN_AI_USAGE_COST], rel=1e-6)


@pytest.mark.parametrize("mode", ["without", "with-openinference"])
def test_openai_call_tokens_cache_and_cost(readback: dict[str, Any], mode: str) -> None:
    shown = readback[mode]["phoenix"][OPENAI]["graphql"]
    assert shown["spanKind"] == "llm"
    assert (shown["tokenCountPrompt"], shown["tokenCountCompletion"], shown["tokenCountTotal"]) == (
        fp.CHAT_PROMPT_TOKENS,
        fp.CHAT_COMPLETION_TOKENS,
        fp.CHAT_TOTAL_TOKENS,
    )
    assert shown["tokenPromptDetails"] == {"cacheRead": fp.CHAT_CACHED_TOKENS, "cacheWrite": None}
    assert shown["costSummary"]["total"]["cost"] == pytest.approx(OPENAI_COST, rel=1e-9)


def test_without_the_vocabulary_phoenix_shows_no_reasoning(readback: dict[str, Any]) -> None:
    phoenix = readback["without"]["phoenix"]
    for name in (ANTHROPIC, OPENAI):
        entries = _entries(phoenix[name]["graphql"])
        assert "reasoning" not in entries
        assert entries["output"][0] == phoenix[name]["graphql"]["tokenCountCompletion"]
    # And the model as LiteLLM's request spelled it, prefix included.
    assert phoenix[ANTHROPIC]["rest"]["attributes"][sc.LLM_MODEL_NAME] == "anthropic/claude-sonnet-4-5"


def test_with_the_vocabulary_phoenix_shows_reasoning_and_the_providers_model(
    readback: dict[str, Any],
) -> None:
    phoenix = readback["with-openinference"]["phoenix"]
    ours = readback["with-openinference"]["ours"]
    anthropic_reasoning = ours[ANTHROPIC][sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]
    assert anthropic_reasoning > 0  # LiteLLM's estimate from the thinking block
    for name, reasoning in ((ANTHROPIC, anthropic_reasoning), (OPENAI, fp.CHAT_REASONING_TOKENS)):
        entries = _entries(phoenix[name]["graphql"])
        completion = phoenix[name]["graphql"]["tokenCountCompletion"]
        assert entries["reasoning"][0] == reasoning
        assert entries["output"][0] == completion - reasoning  # reasoning is part of completion
    assert (
        phoenix[ANTHROPIC]["rest"]["attributes"][sc.LLM_MODEL_NAME] == "claude-sonnet-4-5" + fp.MODEL_SUFFIX
    )
    assert phoenix[OPENAI]["rest"]["attributes"][sc.LLM_MODEL_NAME] == "gpt-4o-mini" + fp.MODEL_SUFFIX
