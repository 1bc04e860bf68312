"""The LiteLLM proxy server under ``opentelemetry-instrument``, in front of the fake provider.

The real proxy (``litellm --config tests/proxy/config.yaml``, from the ``litellm[proxy]``
extra) runs in a child process under the ``opentelemetry-instrument`` launcher, with
``opentelemetry-instrumentation-fastapi`` and this library discovered through their entry
points and nothing configured in LiteLLM itself. Spans travel over OTLP/HTTP to a receiver in
the test process; the proxy's model groups point at the fake provider, also in this process.

One proxy run (it takes tens of seconds to start) serves every test in this module: a few chat
requests, and Anthropic Messages API requests (``/v1/messages``) sent with the real ``anthropic``
SDK as the client, each with its own ``traceparent`` so that its spans are told apart by trace id,
then the proxy is stopped, which flushes its batch span processor, and the tests read what
arrived.

The proxy's dependencies are heavy, so this directory has its own nox session (``nox -s
proxy``). Elsewhere the module skips itself when they are not installed; under that session
(``NOX_PROXY=1``) a missing dependency is an error instead.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status
from packaging.requirements import Requirement

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import API_KEY
from litellm_otel import semconv as sc
from mcp_server import WEATHER, serve_mcp
from otlp_receiver import OTLPReceiver, ReceivedSpan, attribute_values, value


def _missing_proxy_dependencies() -> list[str]:
    """Distributions of ``litellm[proxy]`` and the FastAPI instrumentation that are not installed."""
    try:
        requirements = importlib.metadata.requires("litellm") or []
    except importlib.metadata.PackageNotFoundError:
        return ["litellm"]
    names = ["opentelemetry-instrumentation-fastapi", "anthropic"]
    for line in requirements:
        requirement = Requirement(line)
        marker = requirement.marker
        # Only what the extra adds: true with extra == "proxy", false without it. LiteLLM 1.110
        # also lists litellm-proxy, which the server does not import (its code ships in the
        # litellm wheel) and which the registry here does not serve.
        if (
            marker is not None
            and marker.evaluate({"extra": "proxy"})
            and not marker.evaluate({"extra": ""})
            and requirement.name != "litellm-proxy"
        ):
            names.append(requirement.name)
    missing: list[str] = []
    for name in names:
        try:
            importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    return missing


_MISSING = _missing_proxy_dependencies()
if _MISSING:
    _REASON = (
        "the LiteLLM proxy test needs litellm[proxy], opentelemetry-instrumentation-fastapi and"
        " anthropic;"
        f" missing: {', '.join(_MISSING)}"
    )
    if os.environ.get("NOX_PROXY") == "1":
        pytest.fail(_REASON, pytrace=False)  # the proxy session must not pass by skipping
    pytest.skip(f"{_REASON} (run `nox -s proxy`)", allow_module_level=True)

CONFIG = Path(__file__).resolve().parent / "config.yaml"
# Console scripts are installed next to the interpreter (venv/bin or venv\Scripts).
_BIN = Path(sys.executable).parent
_EXE = ".exe" if os.name == "nt" else ""
INSTRUMENT = _BIN / f"opentelemetry-instrument{_EXE}"
LITELLM = _BIN / f"litellm{_EXE}"

SERVICE_NAME = "litellm-proxy"
SCOPE = "litellm_otel"
FASTAPI_SCOPE = "opentelemetry.instrumentation.fastapi"
# What LiteLLM's own OTel integration would produce: its tracer and its span names.
LITELLM_OWN_SCOPE = "litellm"
LITELLM_OWN_SPAN_NAMES = frozenset({"litellm_request", "raw_gen_ai_request", "Received Proxy Server Request"})
# The HTTP attribute names the FastAPI instrumentation uses without OTEL_SEMCONV_STABILITY_OPT_IN.
OLD_HTTP_ATTRIBUTES = ("http.status_code", "http.target", "http.url", "http.method", "http.scheme")

# The proxy imports for tens of seconds on a small machine before it listens.
STARTUP_TIMEOUT = 180.0
REQUEST_TIMEOUT = 60.0
SHUTDOWN_TIMEOUT = 30.0
RATE_LIMIT_ATTEMPTS = 2  # router_settings.num_retries: 1 in config.yaml


@dataclass(frozen=True)
class Call:
    """One HTTP request to the proxy and what it should produce."""

    path: str
    route: str  # the route template FastAPI matched
    model_group: str  # the proxy's model_name
    model: str  # the deployment's litellm_params.model
    provider_name: str
    status: int
    stream: bool = False
    # Set for the Anthropic Messages API (/v1/messages), sent with the anthropic SDK as the client.
    max_tokens: int | None = None


CLAUDE = Call(
    "/v1/chat/completions", "/v1/chat/completions", "claude", "anthropic/claude-sonnet-4-5", "anthropic", 200
)
# The Azure-style route has a path parameter: http.route is the template, url.path the path.
GPT = Call(
    "/openai/deployments/gpt/chat/completions",
    "/openai/deployments/{model:path}/chat/completions",
    "gpt",
    "openai/gpt-4o-mini",
    "openai",
    200,
)
CLAUDE_STREAM = Call(
    "/chat/completions", "/chat/completions", "claude", "anthropic/claude-sonnet-4-5", "anthropic", 200, True
)
RATE_LIMITED = Call(
    "/v1/chat/completions",
    "/v1/chat/completions",
    "rate-limited",
    "openai/gpt-4o-mini-error-429",
    "openai",
    429,
)
MESSAGES = Call(
    "/v1/messages", "/v1/messages", "claude", "anthropic/claude-sonnet-4-5", "anthropic", 200, max_tokens=321
)
MESSAGES_STREAM = Call(
    "/v1/messages",
    "/v1/messages",
    "claude",
    "anthropic/claude-sonnet-4-5",
    "anthropic",
    200,
    True,
    max_tokens=123,
)
CALLS = (CLAUDE, GPT, CLAUDE_STREAM, RATE_LIMITED, MESSAGES, MESSAGES_STREAM)

# Anthropic reports input_tokens without the cache counts; the GenAI convention's input_tokens
# includes them (LiteLLM's prompt_tokens too: 34 + 1000 + 200).
ANTHROPIC_INPUT_TOKENS_TOTAL = (
    fp.ANTHROPIC_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
)
# LiteLLM's price for claude-sonnet-4-5 (per token: input 3e-6, cache read 3e-7, cache creation
# 3.75e-6, output 1.5e-5) at the fake provider's counts.
MESSAGES_COST = 0.005652


@dataclass(frozen=True)
class Received:
    """What the anthropic SDK client made of a /v1/messages answer."""

    text: str  # the message's text blocks; streamed: the text deltas joined
    usage: dict[str, object]  # the message's token counts; streamed: the final message's
    stop_reason: object
    events: tuple[str, ...] = ()  # the streamed events' types, in order


@dataclass(frozen=True)
class Sent:
    """A request as sent (with its W3C trace context) and the proxy's answer."""

    call: Call
    trace_id: bytes
    parent_span_id: bytes
    prompt: str  # unique to the request: tells its provider requests apart
    status: int
    headers: dict[str, str]
    body: str
    received: Received | None = None  # the /v1/messages calls, from the anthropic SDK


@dataclass(frozen=True)
class Surface:
    """A request to one of the proxy's other API routes, and the CLIENT span it should produce."""

    path: str
    route: str
    operation: str
    span_name: str
    content_type: str
    body: bytes
    # Attributes the CLIENT span must carry, with their values.
    expected: tuple[tuple[str, object], ...]


_BOUNDARY = "litellm-otel-proxy-test"


def _multipart(fields: dict[str, str], file: tuple[str, bytes, str]) -> bytes:
    parts = [
        f'--{_BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    filename, data, mime = file
    parts.append(
        f'--{_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: {mime}\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{_BOUNDARY}--\r\n".encode()


_JSON = "application/json"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64)
SURFACES = (
    Surface(
        "/v1/audio/transcriptions",
        "/v1/audio/transcriptions",
        "transcription",
        "transcription openai/gpt-4o-transcribe",
        f"multipart/form-data; boundary={_BOUNDARY}",
        _multipart({"model": "stt"}, ("speech.wav", WAV, "audio/wav")),
        (
            (sc.GEN_AI_USAGE_INPUT_TOKENS, fp.TRANSCRIPTION_INPUT_TOKENS),
            (sc.LITELLM_USAGE_AUDIO_INPUT_TOKENS, fp.TRANSCRIPTION_AUDIO_TOKENS),
            (sc.GEN_AI_USAGE_OUTPUT_TOKENS, fp.TRANSCRIPTION_OUTPUT_TOKENS),
        ),
    ),
    Surface(
        "/v1/audio/speech",
        "/v1/audio/speech",
        "speech",
        "speech openai/tts-1",
        _JSON,
        json.dumps({"model": "tts", "input": "Say hello", "voice": "alloy"}).encode(),
        ((sc.LITELLM_USAGE_INPUT_CHARACTERS, len("Sayhello")), (sc.GEN_AI_OUTPUT_TYPE, "speech")),
    ),
    Surface(
        "/v1/moderations",
        "/v1/moderations",
        "moderation",
        "moderation openai/omni-moderation-latest",
        _JSON,
        json.dumps({"model": "mod", "input": f"I will {fp.MODERATION_FLAGGED_WORD} the lights"}).encode(),
        ((sc.LITELLM_MODERATION_FLAGGED, True),),
    ),
    Surface(
        "/v1beta/models/gemini:generateContent",
        "/v1beta/models/{model_name:path}:generateContent",
        "generate_content",
        "generate_content gemini/gemini-2.5-flash",
        _JSON,
        json.dumps({"contents": [{"role": "user", "parts": [{"text": "Say hello"}]}]}).encode(),
        (
            (sc.GEN_AI_USAGE_INPUT_TOKENS, 2210),
            (sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, 1792),
            (sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, 152),
        ),
    ),
)


MCP_SERVER = "weather"
# A tool call through the proxy's MCP gateway, on its REST route: an execute_tool span, no CLIENT.
MCP_TOOL_CALL = Surface(
    "/mcp-rest/tools/call",
    "/mcp-rest/tools/call",
    "execute_tool",
    "execute_tool get_weather",
    _JSON,
    json.dumps({"server_id": MCP_SERVER, "name": "get_weather", "arguments": {"city": "Paris"}}).encode(),
    ((sc.GEN_AI_TOOL_NAME, "get_weather"), (sc.MCP_METHOD_NAME, "tools/call")),
)


@dataclass(frozen=True)
class SentSurface:
    surface: Surface
    trace_id: bytes
    status: int
    body: str


def _send_surface(base_url: str, master_key: str, surface: Surface) -> SentSurface:
    trace_id = secrets.token_bytes(16)
    traceparent = f"00-{trace_id.hex()}-{secrets.token_bytes(8).hex()}-01"
    headers = {
        "Authorization": f"Bearer {master_key}",
        "Content-Type": surface.content_type,
        "traceparent": traceparent,
    }
    status, _, body = _http("POST", base_url + surface.path, headers, surface.body)
    return SentSurface(surface, trace_id, status, body[:500])


@dataclass(frozen=True)
class ProxyRun:
    sent: list[Sent]
    spans: list[ReceivedSpan]
    provider_requests: list[fp.RecordedRequest]
    master_key: str
    log: str
    surfaces: list[SentSurface]

    def trace(self, sent: Sent | SentSurface) -> list[ReceivedSpan]:
        return [s for s in self.spans if s.span.trace_id == sent.trace_id]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(path: Path, lines: int = 60) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.1)


# Straight to 127.0.0.1, whatever HTTP(S)_PROXY the environment sets.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _http(
    method: str, url: str, headers: dict[str, str] | None = None, body: bytes | None = None
) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with _OPENER.open(request, timeout=REQUEST_TIMEOUT) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read().decode(errors="replace"),  # speech answers audio bytes
            )
    except urllib.error.HTTPError as error:
        with error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode()


def _send(base_url: str, master_key: str, call: Call) -> Sent:
    trace_id, parent_span_id = secrets.token_bytes(16), secrets.token_bytes(8)
    prompt = f"Say hello ({trace_id.hex()})"
    traceparent = f"00-{trace_id.hex()}-{parent_span_id.hex()}-01"
    if call.max_tokens is not None:
        status, headers, body, received = _send_messages(base_url, master_key, call, prompt, traceparent)
        return Sent(call, trace_id, parent_span_id, prompt, status, headers, body, received)
    payload = {
        "model": call.model_group,
        "messages": [{"role": "user", "content": prompt}],
        "stream": call.stream,
    }
    status, headers, body = _http(
        "POST",
        base_url + call.path,
        {
            "Authorization": f"Bearer {master_key}",
            "Content-Type": "application/json",
            "traceparent": traceparent,
        },
        json.dumps(payload).encode(),
    )
    return Sent(call, trace_id, parent_span_id, prompt, status, headers, body)


def _send_messages(
    base_url: str, master_key: str, call: Call, prompt: str, traceparent: str
) -> tuple[int, dict[str, str], str, Received | None]:
    """One /v1/messages request through the anthropic SDK: (status, headers, body, what it read)."""
    # Imported here: the module must load (and skip) where the SDK is not installed. The typecheck
    # session does not install it; where it is installed, mypy checks the calls below.
    import anthropic  # type: ignore[import-not-found, unused-ignore]

    assert call.max_tokens is not None
    with anthropic.Anthropic(
        base_url=base_url,
        api_key=master_key,
        max_retries=0,  # one request, one trace
        timeout=REQUEST_TIMEOUT,
        # Straight to 127.0.0.1, whatever HTTP(S)_PROXY the environment sets.
        http_client=anthropic.DefaultHttpxClient(trust_env=False),
    ) as client:
        try:
            if not call.stream:
                raw = client.messages.with_raw_response.create(
                    model=call.model_group,
                    max_tokens=call.max_tokens,
                    messages=[{"role": "user", "content": prompt}],
                    extra_headers={"traceparent": traceparent},
                )
                message = raw.parse()
                text = "".join(block.text for block in message.content if block.type == "text")
                received = Received(text, _message_usage(message.usage), message.stop_reason)
                return raw.status_code, _lower(raw.headers), raw.http_response.text, received
            with client.messages.stream(
                model=call.model_group,
                max_tokens=call.max_tokens,
                messages=[{"role": "user", "content": prompt}],
                extra_headers={"traceparent": traceparent},
            ) as stream:
                # Iterating yields the wire events and the SDK's own (e.g. "text"); only the wire's.
                events = [event for event in stream if event.type in _WIRE_EVENTS]
                final = stream.get_final_message()
                response = stream.response
            text = "".join(
                event.delta.text
                for event in events
                if event.type == "content_block_delta" and event.delta.type == "text_delta"
            )
            received = Received(
                text, _message_usage(final.usage), final.stop_reason, tuple(e.type for e in events)
            )
            return response.status_code, _lower(response.headers), "", received
        except anthropic.APIStatusError as error:
            return error.status_code, _lower(error.response.headers), error.response.text, None


# The Messages API's streamed event types (the SDK's stream helper adds its own to these).
_WIRE_EVENTS = frozenset(
    {
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
        "ping",
    }
)


def _lower(headers: Any) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in headers.items()}


def _message_usage(usage: Any) -> dict[str, object]:
    return {
        name: getattr(usage, name, None)
        for name in (
            "input_tokens",
            "cache_read_input_tokens",
            "cache_creation_input_tokens",
            "output_tokens",
        )
    }


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (the SDK flushes its batch span processor at exit), then kill if it hangs."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=SHUTDOWN_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=SHUTDOWN_TIMEOUT)


@pytest.fixture(scope="module")
def proxy_run(fake_provider: FakeProvider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyRun]:
    for script in (INSTRUMENT, LITELLM):
        if not script.exists():
            pytest.fail(f"{script} not found: install litellm[proxy] and opentelemetry-instrumentation")
    workdir = tmp_path_factory.mktemp("proxy")
    log_path = workdir / "proxy.log"
    # The proxy's MCP gateway in front of a real MCP server in this process.
    mcp = contextlib.ExitStack()
    mcp_url = mcp.enter_context(serve_mcp())
    config = workdir / "config.yaml"
    config.write_text(
        CONFIG.read_text() + f"\nmcp_servers:\n  {MCP_SERVER}:\n    url: {mcp_url}\n    transport: http\n"
    )
    # The proxy refuses to start without a strong master key.
    master_key = "sk-" + secrets.token_urlsafe(32)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    fake_provider.reset()

    with OTLPReceiver() as receiver:
        # Start from the caller's environment minus any OTel or proxy-database configuration.
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("OTEL_") and k not in {"DATABASE_URL", "DIRECT_URL", "LITELLM_OTEL_V2"}
        }
        env.update(
            LITELLM_LOCAL_MODEL_COST_MAP="True",  # no price-map download at start-up
            LITELLM_MASTER_KEY=master_key,
            LITELLM_DONT_SHOW_FEEDBACK_BOX="true",
            FAKE_PROVIDER_URL=fake_provider.base_url,
            FAKE_PROVIDER_OPENAI_BASE=fake_provider.openai_base,
            FAKE_PROVIDER_GEMINI_BASE=fake_provider.base_for("gemini") + "/v1beta",
            FAKE_PROVIDER_API_KEY=API_KEY,
            NO_PROXY=",".join(filter(None, [env.get("NO_PROXY", ""), "127.0.0.1,localhost"])),
            OTEL_SERVICE_NAME=SERVICE_NAME,
            # The distro defaults "otlp" to gRPC; this project ships the HTTP/protobuf exporter.
            OTEL_TRACES_EXPORTER="otlp",
            OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf",
            OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint,
            OTEL_BSP_SCHEDULE_DELAY="100",
            OTEL_METRICS_EXPORTER="none",
            OTEL_LOGS_EXPORTER="none",
            # Stable HTTP attribute names (http.response.status_code, url.path) from FastAPI.
            OTEL_SEMCONV_STABILITY_OPT_IN="http",
            # The test group also installs the OpenAI SDK instrumentation (for the coexistence
            # tests); here it would add its own GenAI spans under ours, as the README explains.
            OTEL_PYTHON_DISABLED_INSTRUMENTATIONS="openai",
        )
        # `--` ends the launcher's own options: without it argparse takes the proxy's `--config`
        # for an abbreviation of the launcher's `--configurator` / `--config_file`.
        command = [
            str(INSTRUMENT),
            "--",
            str(LITELLM),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--config",
            str(config),
        ]
        with log_path.open("wb") as log:
            process = subprocess.Popen(command, env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
        try:

            def alive() -> bool:
                if process.poll() is not None:
                    pytest.fail(f"the proxy exited with {process.returncode}:\n{_tail(log_path)}")
                try:
                    return _http("GET", base_url + "/health/liveliness")[0] == 200
                except OSError:
                    return False

            _wait_until(alive, STARTUP_TIMEOUT, f"the proxy did not start:\n{_tail(log_path)}")
            # LiteLLM 1.110 registers /v1/messages (its "anthropic_passthrough" feature) on the
            # first request under that path, inside FastAPI's instrumentation: that request's
            # SERVER span is named `POST` and has no http.route. An unauthenticated request (no
            # provider call, a trace of its own) registers it before the traced ones; it is refused
            # (401 on 1.110; 1.108 answers a missing key on this route with 500).
            warm_up = _http("POST", base_url + "/v1/messages", {"Content-Type": "application/json"}, b"{}")
            assert warm_up[0] in (401, 500), (warm_up, _tail(log_path))
            sent = [_send(base_url, master_key, call) for call in CALLS]
            surfaces = [_send_surface(base_url, master_key, surface) for surface in SURFACES]
            tool_call = _send_surface(base_url, master_key, MCP_TOOL_CALL)
            surfaces.append(tool_call)

            def all_served() -> bool:
                # Each request's SERVER span ends after its response was sent.
                traces = {
                    s.span.trace_id for s in receiver.spans() if s.span.kind == Span.SpanKind.SPAN_KIND_SERVER
                }
                sent_ids = [s.trace_id for s in sent] + [s.trace_id for s in surfaces]
                return all(trace_id in traces for trace_id in sent_ids)

            _wait_until(all_served, REQUEST_TIMEOUT, f"SERVER spans missing:\n{_tail(log_path)}")
        finally:
            _stop(process)
            mcp.close()
        # The exit flushed whatever was still queued; every export was answered before it ended.
        yield ProxyRun(
            sent=sent,
            spans=receiver.spans(),
            provider_requests=list(fake_provider.requests),
            master_key=master_key,
            log=_tail(log_path),
            surfaces=surfaces,
        )


def _only(spans: list[ReceivedSpan]) -> ReceivedSpan:
    assert len(spans) == 1, [(s.scope.name, s.span.name) for s in spans]
    return spans[0]


def _server_span(run: ProxyRun, sent: Sent) -> ReceivedSpan:
    return _only([s for s in run.trace(sent) if s.span.kind == Span.SpanKind.SPAN_KIND_SERVER])


def _client_spans(run: ProxyRun, sent: Sent) -> list[ReceivedSpan]:
    return [
        s for s in run.trace(sent) if s.scope.name == SCOPE and s.span.kind == Span.SpanKind.SPAN_KIND_CLIENT
    ]


def _provider_posts(run: ProxyRun, sent: Sent) -> list[fp.RecordedRequest]:
    """The provider requests made for ``sent`` (the proxy also GETs /v1/models at start-up): the
    ones carrying its prompt (chat and /v1/messages requests for claude both post /v1/messages)."""
    return [r for r in run.provider_requests if r.method == "POST" and sent.prompt in json.dumps(r.body)]


def _attr(span: ReceivedSpan, name: str) -> tuple[str | None, object]:
    """(wire type, value) of one attribute; (None, None) when absent."""
    raw = attribute_values(span.span).get(name)
    if raw is None:
        return None, None
    return raw.WhichOneof("value"), value(raw)


def _tree(spans: list[ReceivedSpan]) -> str:
    """One trace's spans as an indented tree: name, kind, scope, status and attributes."""
    ids = {s.span.span_id for s in spans}
    children: dict[bytes, list[ReceivedSpan]] = {}
    for s in spans:
        children.setdefault(s.span.parent_span_id if s.span.parent_span_id in ids else b"", []).append(s)
    lines: list[str] = []

    def add(level: int, parent: bytes) -> None:
        for s in sorted(children.get(parent, []), key=lambda s: s.span.start_time_unix_nano):
            kind = Span.SpanKind.Name(s.span.kind).removeprefix("SPAN_KIND_")
            status = Status.StatusCode.Name(s.span.status.code).removeprefix("STATUS_CODE_")
            lines.append(f"{'    ' * level}{s.span.name!r} {kind} ({s.scope.name}) status={status}")
            for name, raw in sorted(attribute_values(s.span).items()):
                lines.append(f"{'    ' * level}  | {name} = {value(raw)!r}")
            add(level + 1, s.span.span_id)

    add(0, b"")
    return "\n".join(lines)


def test_answers(proxy_run: ProxyRun) -> None:
    for sent in proxy_run.sent:
        assert sent.status == sent.call.status, (sent.call, sent.body, proxy_run.log)
    assert "[DONE]" in proxy_run.sent[CALLS.index(CLAUDE_STREAM)].body


@pytest.mark.parametrize("call", [MESSAGES, MESSAGES_STREAM], ids=["create", "stream"])
def test_messages_answer_reaches_the_anthropic_client_intact(proxy_run: ProxyRun, call: Call) -> None:
    sent = proxy_run.sent[CALLS.index(call)]
    assert sent.received is not None, (sent.status, sent.body, proxy_run.log)
    assert sent.received.text == fp.RESPONSE_TEXT
    # Anthropic's own counts, as the provider sent them: input_tokens without the cache.
    assert sent.received.usage == {
        "input_tokens": fp.ANTHROPIC_INPUT_TOKENS,
        "cache_read_input_tokens": fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS,
        "cache_creation_input_tokens": fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
        "output_tokens": fp.ANTHROPIC_OUTPUT_TOKENS,
    }
    assert sent.received.stop_reason == "end_turn"
    if call.stream:
        events = sent.received.events
        assert events[0] == "message_start", events
        assert events[-2:] == ("message_delta", "message_stop"), events
        assert events.count("content_block_start") == events.count("content_block_stop") == 2, events


@pytest.mark.parametrize("call", [MESSAGES, MESSAGES_STREAM], ids=["create", "stream"])
def test_messages_call_is_a_router_span_over_one_chat_span(proxy_run: ProxyRun, call: Call) -> None:
    sent = proxy_run.sent[CALLS.index(call)]
    trace = proxy_run.trace(sent)
    tree = _tree(trace)
    print(tree)  # shown with -s, and on failure
    server = _server_span(proxy_run, sent)
    assert server.span.name == "POST /v1/messages", tree
    assert _attr(server, "http.route") == ("string_value", "/v1/messages")

    ours = [s for s in trace if s.scope.name == SCOPE]
    router = _only([s for s in ours if s.span.kind == Span.SpanKind.SPAN_KIND_INTERNAL])
    assert router.span.parent_span_id == server.span.span_id, tree
    assert router.span.name == f"router chat {call.model_group}"
    assert _attr(router, sc.LITELLM_ROUTER_MODEL_GROUP) == ("string_value", call.model_group)
    assert _attr(router, sc.LITELLM_ROUTER_ATTEMPTS) == ("int_value", 1)
    assert _usage(router) == {}, tree  # the router orchestrates: usage and cost are its attempt's

    client = _only([s for s in ours if s.span.kind == Span.SpanKind.SPAN_KIND_CLIENT])
    assert client.span.parent_span_id == router.span.span_id, tree
    assert client.span.name == f"chat {call.model}"
    assert client.span.status.code == Status.StatusCode.STATUS_CODE_UNSET
    assert _attr(client, sc.GEN_AI_OPERATION_NAME) == ("string_value", "chat")
    assert _attr(client, sc.GEN_AI_PROVIDER_NAME) == ("string_value", call.provider_name)
    assert _attr(client, sc.GEN_AI_REQUEST_MODEL) == ("string_value", call.model)
    assert _attr(client, sc.GEN_AI_REQUEST_MAX_TOKENS) == ("int_value", call.max_tokens)
    id_type, response_id = _attr(client, sc.GEN_AI_RESPONSE_ID)
    assert id_type == "string_value"
    assert isinstance(response_id, str)
    assert response_id.startswith("msg_fake_"), response_id
    response_model = call.model.split("/", 1)[1] + fp.MODEL_SUFFIX
    assert _attr(client, sc.GEN_AI_RESPONSE_MODEL) == ("string_value", response_model)
    assert _attr(client, sc.GEN_AI_RESPONSE_FINISH_REASONS) == ("array_value", ["stop"])

    usage = _usage(client)
    assert usage[sc.GEN_AI_USAGE_INPUT_TOKENS] == ("int_value", ANTHROPIC_INPUT_TOKENS_TOTAL), tree
    assert usage[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] == (
        "int_value",
        fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS,
    )
    assert usage[sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] == (
        "int_value",
        fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
    )
    assert usage[sc.GEN_AI_USAGE_OUTPUT_TOKENS] == ("int_value", fp.ANTHROPIC_OUTPUT_TOKENS)
    cost_type, cost = usage[sc.GEN_AI_USAGE_COST]
    assert cost_type == "double_value"
    assert cost == pytest.approx(MESSAGES_COST)
    if call.stream:
        assert _attr(client, sc.GEN_AI_REQUEST_STREAM) == ("bool_value", True)
        ttfc_type, ttfc = _attr(client, sc.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK)
        assert ttfc_type == "double_value"
        assert isinstance(ttfc, float)
        assert ttfc > 0
        assert _attr(client, sc.LITELLM_STREAM_COMPLETED) == ("bool_value", True)
    else:  # a stream's headers leave before its usage is known
        # The proxy reports the cost it computed for the same response in a header.
        assert cost == pytest.approx(float(sent.headers["x-litellm-response-cost"]))

    # Each token counted once across the whole trace.
    counted = [_attr(s, sc.GEN_AI_USAGE_INPUT_TOKENS)[1] for s in trace]
    assert sum(n for n in counted if isinstance(n, int)) == ANTHROPIC_INPUT_TOKENS_TOTAL, tree


def test_server_span_has_the_http_attributes(proxy_run: ProxyRun) -> None:
    for sent in proxy_run.sent:
        server = _server_span(proxy_run, sent)
        assert server.scope.name == FASTAPI_SCOPE
        # The caller's traceparent was honoured: the proxy continues the caller's trace.
        assert server.span.parent_span_id == sent.parent_span_id
        assert _attr(server, "http.route") == ("string_value", sent.call.route)
        assert _attr(server, "url.path") == ("string_value", sent.call.path)
        assert _attr(server, "http.request.method") == ("string_value", "POST")
        assert _attr(server, "http.response.status_code") == ("int_value", sent.call.status)
        present = [name for name in OLD_HTTP_ATTRIBUTES if name in attribute_values(server.span)]
        assert not present, present
        resource = {k: value(v) for k, v in attribute_values(server.resource).items()}
        assert resource["service.name"] == SERVICE_NAME


def _ancestors(run: ProxyRun, span: ReceivedSpan) -> list[bytes]:
    by_id = {s.span.span_id: s for s in run.spans if s.span.trace_id == span.span.trace_id}
    chain: list[bytes] = []
    parent = span.span.parent_span_id
    while parent in by_id and parent not in chain:
        chain.append(parent)
        parent = by_id[parent].span.parent_span_id
    return chain


def test_client_spans_descend_from_the_server_span(proxy_run: ProxyRun) -> None:
    for sent in proxy_run.sent:
        server = _server_span(proxy_run, sent)
        clients = _client_spans(proxy_run, sent)
        assert clients, [(s.scope.name, s.span.name) for s in proxy_run.trace(sent)]
        for client in clients:
            assert server.span.span_id in _ancestors(proxy_run, client), client.span.name
            assert client.span.name == f"chat {sent.call.model}"
            assert _attr(client, sc.GEN_AI_REQUEST_MODEL) == ("string_value", sent.call.model)
            assert _attr(client, sc.GEN_AI_PROVIDER_NAME) == ("string_value", sent.call.provider_name)
            assert _attr(client, sc.LITELLM_ROUTER_MODEL_GROUP) == ("string_value", sent.call.model_group)


def _usage(span: ReceivedSpan) -> dict[str, tuple[str | None, object]]:
    return {k: _attr(span, k) for k in attribute_values(span.span) if k.startswith("gen_ai.usage.")}


@pytest.mark.parametrize("call", [CLAUDE, GPT, CLAUDE_STREAM], ids=["anthropic", "openai", "stream"])
def test_successful_call_has_usage_cost_and_preprocessing(proxy_run: ProxyRun, call: Call) -> None:
    sent = proxy_run.sent[CALLS.index(call)]
    client = _only(_client_spans(proxy_run, sent))
    assert client.span.status.code == Status.StatusCode.STATUS_CODE_UNSET
    if call.provider_name == "anthropic":
        input_tokens = ANTHROPIC_INPUT_TOKENS_TOTAL
        output_tokens = fp.ANTHROPIC_OUTPUT_TOKENS
        cache_read = fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
    else:
        input_tokens, output_tokens, cache_read = (
            fp.CHAT_PROMPT_TOKENS,
            fp.CHAT_COMPLETION_TOKENS,
            fp.CHAT_CACHED_TOKENS,
        )
    usage = _usage(client)
    assert usage[sc.GEN_AI_USAGE_INPUT_TOKENS] == ("int_value", input_tokens)
    assert usage[sc.GEN_AI_USAGE_OUTPUT_TOKENS] == ("int_value", output_tokens)
    assert usage[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] == ("int_value", cache_read)
    cost_type, cost = usage[sc.GEN_AI_USAGE_COST]
    assert cost_type == "double_value"
    assert isinstance(cost, float)
    assert cost > 0
    if not call.stream:  # a stream's headers leave before its usage is known
        # The proxy reports the cost it computed for the same response in a header.
        assert cost == pytest.approx(float(sent.headers["x-litellm-response-cost"]))
    duration_type, duration = _attr(client, sc.LITELLM_PREPROCESSING_DURATION_MS)
    assert duration_type == "double_value"
    assert isinstance(duration, float)
    assert duration >= 0
    if call.stream:
        assert _attr(client, sc.LITELLM_STREAM_COMPLETED) == ("bool_value", True)


def test_rate_limited_call_has_one_failed_span_per_attempt(proxy_run: ProxyRun) -> None:
    sent = proxy_run.sent[CALLS.index(RATE_LIMITED)]
    clients = _client_spans(proxy_run, sent)
    assert len(clients) == len(_provider_posts(proxy_run, sent)) == RATE_LIMIT_ATTEMPTS
    attempts = [_attr(c, sc.LITELLM_ROUTER_ATTEMPT) for c in clients]
    assert sorted(attempts, key=repr) == [("int_value", n) for n in range(1, RATE_LIMIT_ATTEMPTS + 1)]
    for client in clients:
        assert client.span.status.code == Status.StatusCode.STATUS_CODE_ERROR
        assert _attr(client, "error.type") == ("string_value", "litellm.exceptions.RateLimitError")
        assert _attr(client, "http.response.status_code") == ("int_value", 429)
        assert _usage(client) == {}


def test_litellm_callback_is_not_used_and_nothing_is_duplicated(proxy_run: ProxyRun) -> None:
    spans = proxy_run.spans
    assert not [s.span.name for s in spans if s.scope.name == LITELLM_OWN_SCOPE]
    assert not [s.span.name for s in spans if s.span.name in LITELLM_OWN_SPAN_NAMES]
    # Only this library's spans carry GenAI attributes.
    assert not [
        (s.scope.name, s.span.name)
        for s in spans
        if s.scope.name != SCOPE and any(k.startswith("gen_ai.") for k in attribute_values(s.span))
    ]
    # Each span arrived once.
    assert len({(s.span.trace_id, s.span.span_id) for s in spans}) == len(spans)
    # Exactly one CLIENT span per provider request, in the request's trace.
    ours = [s for s in spans if s.scope.name == SCOPE and s.span.kind == Span.SpanKind.SPAN_KIND_CLIENT]
    posts = [r for r in proxy_run.provider_requests if r.method == "POST"]
    assert len(ours) == len(posts), ([s.span.name for s in ours], [r.path for r in posts])
    for sent in proxy_run.sent:
        assert len(_client_spans(proxy_run, sent)) == len(_provider_posts(proxy_run, sent))
        # One router span per proxy request: the proxy calls the Router once.
        routers = [
            s
            for s in proxy_run.trace(sent)
            if s.scope.name == SCOPE and s.span.kind == Span.SpanKind.SPAN_KIND_INTERNAL
        ]
        assert [s.span.name for s in routers] == [f"router chat {sent.call.model_group}"]


def test_no_secrets_in_spans(proxy_run: ProxyRun) -> None:
    text = "\n".join(str(s.span) for s in proxy_run.spans)
    assert proxy_run.master_key not in text
    assert API_KEY not in text


@pytest.mark.parametrize("surface", SURFACES, ids=[s.operation for s in SURFACES])
def test_other_api_routes_get_their_client_span_under_the_server_span(
    proxy_run: ProxyRun, surface: Surface
) -> None:
    (sent,) = [s for s in proxy_run.surfaces if s.surface is surface]
    assert sent.status == 200, (sent.body, proxy_run.log)
    trace = proxy_run.trace(sent)
    server = _only([s for s in trace if s.span.kind == Span.SpanKind.SPAN_KIND_SERVER])
    assert _attr(server, "http.route")[1] == surface.route, _tree(trace)
    ours = [s for s in trace if s.scope.name == SCOPE and s.span.kind == Span.SpanKind.SPAN_KIND_CLIENT]
    client = _only(ours)
    print(f"\n{surface.path}:\n{_tree(trace)}")
    assert client.span.name == surface.span_name
    assert _attr(client, sc.GEN_AI_OPERATION_NAME)[1] == surface.operation
    for name, expected in surface.expected:
        assert _attr(client, name)[1] == expected, (name, _tree(trace))
    # Every span of ours descends from the request's SERVER span.
    by_id = {s.span.span_id: s for s in trace}
    ancestor = client
    while ancestor.span.parent_span_id in by_id:
        ancestor = by_id[ancestor.span.parent_span_id]
    assert ancestor is server or ancestor.span.kind == Span.SpanKind.SPAN_KIND_SERVER


def test_an_mcp_tool_call_through_the_gateway_is_an_execute_tool_span(proxy_run: ProxyRun) -> None:
    (sent,) = [s for s in proxy_run.surfaces if s.surface is MCP_TOOL_CALL]
    assert sent.status == 200, (sent.body, proxy_run.log)
    assert WEATHER.format(city="Paris") in sent.body
    trace = proxy_run.trace(sent)
    print(f"\n{MCP_TOOL_CALL.path}:\n{_tree(trace)}")
    server = _only([s for s in trace if s.span.kind == Span.SpanKind.SPAN_KIND_SERVER])
    tool = _only([s for s in trace if s.scope.name == SCOPE])
    assert tool.span.kind == Span.SpanKind.SPAN_KIND_INTERNAL
    assert tool.span.name.startswith("execute_tool ") and "get_weather" in tool.span.name
    assert _attr(tool, sc.GEN_AI_OPERATION_NAME)[1] == "execute_tool"
    assert _attr(tool, sc.MCP_METHOD_NAME)[1] == "tools/call"
    assert "get_weather" in str(_attr(tool, sc.GEN_AI_TOOL_NAME)[1])
    assert tool.span.status.code != Status.StatusCode.STATUS_CODE_ERROR
    by_id = {s.span.span_id: s for s in trace}
    ancestor = tool
    while ancestor.span.parent_span_id in by_id:
        ancestor = by_id[ancestor.span.parent_span_id]
    assert ancestor is server
    assert _attr(tool, sc.GEN_AI_TOOL_CALL_ARGUMENTS) == (None, None)  # content is opt-in
