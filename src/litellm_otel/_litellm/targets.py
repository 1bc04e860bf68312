"""Where litellm-otel hooks into LiteLLM, for each generation of LiteLLM's internals.

`find(litellm)` reads the installed LiteLLM and returns the attributes to wrap, each with the
role its wrapper plays, plus the ones this LiteLLM is expected to have but does not: those are
what `instrument()` warns about, so that a LiteLLM rewrite never costs spans without a word.
Nothing here patches anything or touches OpenTelemetry.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import importlib.metadata
import importlib.util
import inspect
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Final

from litellm_otel import semconv as sc


class Surface(enum.Enum):
    """A LiteLLM API surface: whose shapes a call's arguments, results and chunks have, and so
    which CLIENT span class reads them."""

    CHAT = "chat"  # LiteLLM's OpenAI-shaped objects: completion, text, embeddings, responses, …
    MESSAGES = "messages"  # the Anthropic Messages API: plain dicts and SSE bytes
    TRANSCRIPTION = "transcription"  # a TranscriptionResponse: text, tokens or seconds
    SPEECH = "speech"  # binary audio
    IMAGES = "images"  # edits and variations: an ImageResponse with the Images API's usage
    MODERATION = "moderation"  # OpenAI's moderation object
    OCR = "ocr"  # Mistral's OCR shape: pages
    SEARCH = "search"  # LiteLLM's SearchResponse: results
    VIDEO = "video"  # OpenAI's video job object
    GOOGLE_GENAI = "google_genai"  # Gemini's generateContent response, camelCase
    INTERACTIONS = "interactions"  # Google's Interactions API: an InteractionsAPIResponse, SSE events


class Role(enum.Enum):
    """What the wrapper around a target does."""

    ENTRY_POINT = "entry point"  # a public function: a CLIENT span per provider request
    IMPLEMENTATION = "implementation"  # the Python function behind a dispatch function
    ROUTER = "router endpoint"  # a Router method: an INTERNAL span over its attempts
    # The Router method behind endpoints it builds per instance (factory_function): an INTERNAL
    # span over the attempts of the calls in GENERIC_ROUTER_CALLS.
    GENERIC_ROUTER = "router generic endpoint"
    RUN_ASYNC = "event-loop bridge"  # runs a sync call's coroutine on a loop: the context is carried in
    PRE_CALL = "pre-call hook"  # runs right before each provider request: the hand-off time
    ASSEMBLY = "end-of-stream assembler"  # builds a finished stream's response: its usage is kept
    TRANSPORT = "HTTP client"  # sends each HTTP request to the provider: retries inside a call
    TOOL_CALL = "MCP tool call"  # calls a tool on an MCP server: an execute_tool span
    THREAD_POOL = "thread pool"  # runs calls on worker threads: the caller's context is carried in


# What each role's absence costs the user, for the warning.
_LOSS: Final = {
    Role.ENTRY_POINT: "its calls get no span",
    Role.IMPLEMENTATION: "calls through names imported before instrument() get no span",
    Role.ROUTER: "Router calls through it get no router span, their attempts no litellm.router.*",
    Role.GENERIC_ROUTER: "the Router calls it serves (aanthropic_messages, aocr, …) get no router span",
    Role.RUN_ASYNC: "sync calls made inside a running event loop lose their parent span",
    Role.PRE_CALL: "spans get no litellm.preprocessing.duration_ms",
    Role.ASSEMBLY: "streams without the provider's usage have their tokens counted a second time",
    Role.TRANSPORT: "retries inside one call (num_retries, the provider SDK's max_retries) are not shown",
    Role.TOOL_CALL: "MCP tool calls through it get no execute_tool span",
    Role.THREAD_POOL: "batch_completion's calls lose the caller's span as their parent",
}


@dataclass(frozen=True, slots=True)
class Target:
    """One attribute of LiteLLM's to wrap."""

    owner: Any  # the module or class that holds it
    name: str
    role: Role
    operation: str | None = None  # the GenAI operation, for entry points and Router endpoints
    positional: tuple[str, ...] = ()  # names of the parameters positional arguments fill, in order
    is_async: bool = False
    surface: Surface = Surface.CHAT
    streams: bool = False  # always returns a stream (the `*_stream` functions)

    @property
    def label(self) -> str:
        return f"{_dotted(self.owner)}.{self.name}"


@dataclass(frozen=True, slots=True)
class Missing:
    """A target the installed LiteLLM was expected to have and does not."""

    label: str
    role: Role

    @property
    def loss(self) -> str:
        return _LOSS[self.role]


@dataclass(frozen=True, slots=True)
class Plan:
    targets: tuple[Target, ...]
    missing: tuple[Missing, ...]
    litellm_version: str


# The public functions users call, with their GenAI operation: present on every supported
# release (1.79.0 … 1.110.2). The names on the `litellm` module are what gets patched: from
# 1.106 they are dispatch functions (litellm.completion is litellm.chat_completions.dispatch.
# completion, not litellm.main.completion).
ENTRY_POINTS: Final = (
    ("completion", sc.OP_CHAT),
    ("acompletion", sc.OP_CHAT),
    ("text_completion", sc.OP_TEXT_COMPLETION),
    ("atext_completion", sc.OP_TEXT_COMPLETION),
    ("embedding", sc.OP_EMBEDDINGS),
    ("aembedding", sc.OP_EMBEDDINGS),
    ("responses", sc.OP_CHAT),
    ("aresponses", sc.OP_CHAT),
    ("image_generation", sc.OP_GENERATE_CONTENT),
    ("aimage_generation", sc.OP_GENERATE_CONTENT),
    ("rerank", sc.OP_RERANK),
    ("arerank", sc.OP_RERANK),
)

# The other APIs that send a provider request, sync and async, where their functions live: the
# `litellm` names, and the package names Routers up to 1.109 bind at construction (`from
# litellm.ocr import aocr`), which are other bindings of the same functions. Every one of them but
# those of SURFACES_SINCE is on every supported release (read from 1.79.0, 1.90.7, 1.106.12,
# 1.108.14, 1.109.3, 1.110.2); on 1.110 `litellm.ocr`/`aocr` are dispatch functions served in
# Rust, with no Python function behind them: only the public names can be wrapped, and are.
# (module, names, operation, surface)
SURFACE_ENTRY_POINTS: Final = (
    ("litellm", ("transcription", "atranscription"), sc.OP_TRANSCRIPTION, Surface.TRANSCRIPTION),
    ("litellm", ("speech", "aspeech"), sc.OP_SPEECH, Surface.SPEECH),
    ("litellm", ("moderation", "amoderation"), sc.OP_MODERATION, Surface.MODERATION),
    ("litellm", ("image_edit", "aimage_edit"), sc.OP_GENERATE_CONTENT, Surface.IMAGES),
    ("litellm", ("image_variation", "aimage_variation"), sc.OP_GENERATE_CONTENT, Surface.IMAGES),
    ("litellm", ("ocr", "aocr"), sc.OP_OCR, Surface.OCR),
    ("litellm.ocr", ("ocr", "aocr"), sc.OP_OCR, Surface.OCR),
    ("litellm", ("search", "asearch"), sc.OP_SEARCH, Surface.SEARCH),
    ("litellm.search", ("search", "asearch"), sc.OP_SEARCH, Surface.SEARCH),
    ("litellm", ("video_generation", "avideo_generation"), sc.OP_VIDEO_GENERATION, Surface.VIDEO),
    ("litellm.videos", ("video_generation", "avideo_generation"), sc.OP_VIDEO_GENERATION, Surface.VIDEO),
    # A remix makes a new video from one made before, billed as one.
    ("litellm", ("video_remix", "avideo_remix"), sc.OP_VIDEO_GENERATION, Surface.VIDEO),
    ("litellm", ("agenerate_content",), sc.OP_GENERATE_CONTENT, Surface.GOOGLE_GENAI),
    (
        "litellm.google_genai",
        ("generate_content", "agenerate_content", "generate_content_stream", "agenerate_content_stream"),
        sc.OP_GENERATE_CONTENT,
        Surface.GOOGLE_GENAI,
    ),
    # They retry `litellm.completion` through tenacity with a reference bound in litellm.main, not
    # the patched name (1.79 … 1.110.2): their own span is the call's, the retries its requests.
    ("litellm", ("completion_with_retries", "acompletion_with_retries"), sc.OP_CHAT, Surface.CHAT),
    # They translate the request with a registered adapter (litellm.adapters) and call
    # `completion`/`acompletion` through litellm.main's globals, not the patched names (1.79 …
    # 1.110.2): their own span is the call's; the result is the adapter's translation.
    ("litellm", ("adapter_completion", "aadapter_completion"), sc.OP_CHAT, Surface.CHAT),
    # Google's Interactions API (read from 1.90.7, 1.106.12, 1.108.14, 1.109.3, 1.110.2): `acreate`
    # runs `litellm.interactions.main.create` in an executor, not this name, so one span per call.
    ("litellm.interactions", ("create", "acreate"), sc.OP_CHAT, Surface.INTERACTIONS),
    # From 1.90: video edits and extensions are generation jobs (a VideoObject, billed per
    # second); responses_with_retries retries `litellm.responses` through tenacity as
    # completion_with_retries does; compact_responses runs the model over a conversation to
    # compact it (POST /v1/responses/compact: a Responses API result with usage). From 1.106
    # decisions and systemone, from 1.109 extraction: a model answers over images, audio, video or
    # documents (LiteLLM's own APIs), read as chat results.
    (
        "litellm",
        ("video_edit", "avideo_edit", "video_extension", "avideo_extension"),
        sc.OP_VIDEO_GENERATION,
        Surface.VIDEO,
    ),
    (
        "litellm.videos",
        ("video_edit", "avideo_edit", "video_extension", "avideo_extension"),
        sc.OP_VIDEO_GENERATION,
        Surface.VIDEO,
    ),
    ("litellm", ("responses_with_retries", "aresponses_with_retries"), sc.OP_CHAT, Surface.CHAT),
    ("litellm", ("compact_responses", "acompact_responses"), sc.OP_CHAT, Surface.CHAT),
    ("litellm", ("decisions", "adecisions", "systemone", "asystemone"), sc.OP_CHAT, Surface.CHAT),
    ("litellm", ("extraction", "aextraction"), sc.OP_CHAT, Surface.CHAT),
)
# The modules of SURFACE_ENTRY_POINTS newer than the oldest supported release, with the first
# release that has them: an older LiteLLM lacks them by design, which is no missing target.
# A key is a module (all of its functions) or a module's function.
SURFACES_SINCE: Final = {
    "litellm.interactions": (1, 90),
    **dict.fromkeys(
        (
            f"litellm{package}.{name}"
            for package in ("", ".videos")
            for name in ("video_edit", "avideo_edit", "video_extension", "avideo_extension")
        ),
        (1, 90),
    ),
    **dict.fromkeys(
        (
            f"litellm.{name}"
            for name in (
                "responses_with_retries",
                "aresponses_with_retries",
                "compact_responses",
                "acompact_responses",
            )
        ),
        (1, 90),
    ),
    **dict.fromkeys(
        (f"litellm.{name}" for name in ("decisions", "adecisions", "systemone", "asystemone")), (1, 106)
    ),
    **dict.fromkeys(("litellm.extraction", "litellm.aextraction"), (1, 109)),
}

# LiteLLM's MCP client (`litellm[mcp]`, with the `mcp` package): `call_openai_tool` calls
# `call_mcp_tool` through the global of its `tools` module, which the package re-exports
# `call_openai_tool` from. 1.79 … 1.109: `litellm.experimental_mcp_client`; 1.110:
# `litellm.mcp_client`, the old name a deprecated alias package (read from 1.79.0, 1.109.3,
# 1.110.2). LiteLLM does not import them itself, and importing one takes ~0.4 s and warns on
# 1.110: they are patched when the application imports them (`mcp_targets`).
MCP_CLIENT_MODULES: Final = ("litellm.mcp_client", "litellm.experimental_mcp_client")
_MCP_FUNCTIONS: Final = (("", ("call_openai_tool",)), ("tools", ("call_openai_tool", "call_mcp_tool")))


# The proxy's MCP gateway (`litellm[proxy]`): a tool call through its MCP endpoint or its REST
# route (`/mcp-rest/tools/call`) runs `execute_mcp_tool(name, arguments, …)`, which `call_mcp_tool`
# calls through the module's global; other proxy modules import both at call time. 1.110:
# `litellm.proxy.mcp_server.operations`; up to 1.109 under `litellm.proxy._experimental` (read from
# 1.108.7 and 1.110.2). Patched when the proxy imports it.
MCP_GATEWAY_MODULES: Final = (
    "litellm.proxy.mcp_server.operations",
    "litellm.proxy._experimental.mcp_server.operations",
)
_MCP_GATEWAY_FUNCTIONS: Final = ("call_mcp_tool", "execute_mcp_tool")


def mcp_gateway_targets(module: ModuleType) -> tuple[list[Target], list[Missing]]:
    """The tool-call functions of the proxy's MCP gateway, once imported."""
    targets = []
    for name in _MCP_GATEWAY_FUNCTIONS:
        function = vars(module).get(name)
        if inspect.iscoroutinefunction(function) and not hasattr(function, "__wrapped__"):
            targets.append(_function_target(module, name, Role.TOOL_CALL, sc.OP_EXECUTE_TOOL, function))
    if targets or any(hasattr(vars(module).get(name), "__wrapped__") for name in _MCP_GATEWAY_FUNCTIONS):
        return targets, []
    return [], [Missing(f"{module.__name__}.execute_mcp_tool", Role.TOOL_CALL)]


def mcp_targets(package: ModuleType) -> tuple[list[Target], list[Missing]]:
    """The tool-call functions of one of LiteLLM's MCP client packages, once imported; those
    already wrapped (the alias package's names on 1.110) are left alone."""
    targets: list[Target] = []
    for submodule, names in _MCP_FUNCTIONS:
        module = vars(package).get(submodule) if submodule else package
        if not isinstance(module, ModuleType):
            continue
        for name in names:
            function = vars(module).get(name)
            if inspect.iscoroutinefunction(function) and not hasattr(function, "__wrapped__"):
                targets.append(_function_target(module, name, Role.TOOL_CALL, sc.OP_EXECUTE_TOOL, function))
    already = any(hasattr(vars(package).get(name), "__wrapped__") for name in ("call_openai_tool",))
    if targets or already:
        return targets, []
    return [], [Missing(f"{package.__name__}.call_openai_tool", Role.TOOL_CALL)]


# The modules patched when the application imports them, with what to wrap in each.
LATE_MODULES: Final[tuple[tuple[str, Callable[[ModuleType], tuple[list[Target], list[Missing]]]], ...]] = (
    *((name, mcp_targets) for name in MCP_CLIENT_MODULES),
    *((name, mcp_gateway_targets) for name in MCP_GATEWAY_MODULES),
)

# The Anthropic Messages API, on every supported release: `litellm.anthropic_messages` (async)
# and its sync twin `litellm.anthropic_messages_handler` (which raises for a native Anthropic
# model: LiteLLM serves that only asynchronously, 1.79 … 1.110.2). From 1.106 both are dispatch
# functions in `litellm.messages.dispatch`, over `_PYTHON_AMESSAGES` and `_PYTHON_MESSAGES`.
MESSAGES_ENTRY_POINTS: Final = (
    ("anthropic_messages", "_PYTHON_AMESSAGES"),
    ("anthropic_messages_handler", "_PYTHON_MESSAGES"),
)
# The Anthropic-SDK-shaped `litellm.anthropic.messages.create` / `acreate` (1.79 … 1.110.2): they
# call the two functions above through names bound when this module is imported, so wrapping the
# `litellm.*` names does not reach them; the package re-exports both.
_MESSAGES_INTERFACES: Final = ("litellm.anthropic_interface.messages", "litellm.anthropic_interface")
_MESSAGES_INTERFACE_FUNCTIONS: Final = ("create", "acreate")

# The calls a Router up to 1.109 serves through `_ageneric_api_call_with_fallbacks`, by the
# `__name__` of the LiteLLM function it is handed (`original_function`), with their operation.
# Those Routers build the endpoint per instance (`self.aanthropic_messages = self.factory_function(
# litellm.anthropic_messages, ...)`, read from 1.79.0, 1.106.12, 1.108.14 and 1.109.3), so the
# router span comes from the class method every such endpoint calls.
GENERIC_ROUTER_CALLS: Final = {
    "anthropic_messages": sc.OP_CHAT,
    "agenerate_content": sc.OP_GENERATE_CONTENT,
    "aimage_edit": sc.OP_GENERATE_CONTENT,
    "aocr": sc.OP_OCR,
    "avideo_generation": sc.OP_VIDEO_GENERATION,
}
# (Their `amoderation` and `asearch` take paths of their own, `_pass_through_moderation_endpoint_
# factory` and `_asearch_with_fallbacks`, read from 1.109.3: their attempts get CLIENT spans, and
# no router span; 1.110's core defines `amoderation` as an endpoint, which gets one.)
_GENERIC_ROUTER_METHOD: Final = "_ageneric_api_call_with_fallbacks"

# The Router endpoints every generation defines on the class that serves them (so Routers built
# before instrument() are traced too). Router.rerank has never been one (1.79 … 1.110); the
# Routers up to 1.109 bind responses/aresponses per instance from litellm.aresponses, so their
# attempts are traced without a router span.
_ROUTER_ENDPOINTS: Final = (
    *((name, op) for name, op in ENTRY_POINTS if name not in ("responses", "aresponses", "rerank")),
    ("atranscription", sc.OP_TRANSCRIPTION),
    ("aspeech", sc.OP_SPEECH),
)


@dataclass(frozen=True, slots=True)
class _RouterGeneration:
    name: str
    module: str  # where the class serving the Router's endpoints lives
    class_name: str
    endpoints: tuple[tuple[str, str], ...]
    # The module that binds `run_async_function` by name for sync Router calls, if they use it.
    run_async_module: str | None
    # Whether the class serves per-instance endpoints through _GENERIC_ROUTER_METHOD.
    generic: bool = True


# Newest first: the first whose module exists is the installed one.
_ROUTER_GENERATIONS: Final = (
    # 1.110: `litellm.Router` is a facade (a metaclass sends class-level reads and patches to the
    # core's class) over the Rust-backed `RustCore`, which defines the endpoints as methods. Its
    # host layer (router_python_host.PythonHost.invoke) calls `litellm.<op>` per attempt, looked
    # up at call time, so attempts reach our entry-point wrappers with the Router's metadata.
    # Sync endpoints run their attempts on the caller's thread (RustCore._run_sync, read from
    # 1.110.2): no event-loop bridge to carry the context over. It defines the Messages API's
    # endpoints too (`anthropic_messages`, the proxy's name, is async like `aanthropic_messages`).
    _RouterGeneration(
        "1.110 Rust-backed RouterCore",
        "litellm.router_rust.core",
        "RustCore",
        (
            *_ROUTER_ENDPOINTS,
            ("aresponses", sc.OP_CHAT),
            ("aanthropic_messages", sc.OP_CHAT),
            ("anthropic_messages", sc.OP_CHAT),
            ("amoderation", sc.OP_MODERATION),
        ),
        None,
        generic=False,
    ),
    # 1.109: the same facade over `PythonCore`, the former Router class moved, which still runs
    # sync calls through run_async_function bound in its own module (read from 1.109.3).
    _RouterGeneration(
        "1.109 Python RouterCore",
        "litellm.router_python_core",
        "PythonCore",
        _ROUTER_ENDPOINTS,
        "litellm.router_python_core",
    ),
    # 1.79 … 1.108: the Router class itself (read from 1.79.0 and 1.108.14).
    _RouterGeneration(
        "Router class (1.79 … 1.108)", "litellm.router", "Router", _ROUTER_ENDPOINTS, "litellm.router"
    ),
)

# `batch_completion` and `batch_completion_models` submit `litellm.completion` to a
# `ThreadPoolExecutor` bound in their module, whose threads start without the caller's context
# (1.79 … 1.110.2): the executors it makes copy it into each call they run.
# (`batch_completion_models_all_responses` reaches the class through `concurrent.futures`, shared
# by the whole process: left alone, its calls are traced without the caller's parent.)
_BATCH_MODULE: Final = "litellm.batch_completion.main"

# SDK-level fallbacks (`completion(..., fallbacks=[...])`) run on a new event loop through
# run_async_function bound here, on every supported release.
_FALLBACKS_MODULE: Final = "litellm.litellm_core_utils.fallback_utils"
# Every provider request LiteLLM makes goes out through an httpx client's `send` (1.79 … 1.110.2:
# its own HTTP handlers, and the OpenAI and Anthropic SDKs it drives, whose retries call `send`
# again; its aiohttp transport sits below `send`), on the caller's context.
_TRANSPORTS: Final = (("httpx", "Client", False), ("httpx", "AsyncClient", True))
_LOGGING_MODULE: Final = "litellm.litellm_core_utils.litellm_logging"

_POSITIONAL_KINDS: Final = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def find(litellm: ModuleType) -> Plan:
    """The targets of the installed LiteLLM, and the expected ones it lacks."""
    targets: list[Target] = []
    missing: list[Missing] = []
    version = installed_version()
    _add_entry_points(litellm, targets, missing)
    _add_surface_entry_points(targets, missing, _release(version))
    _add_messages_interfaces(targets, missing)
    generation = _router_generation()
    if generation is not None:
        router_targets, router_missing = _router_targets(generation)
        targets.extend(router_targets)
        missing.extend(router_missing)
    elif getattr(litellm, "Router", None) is not None:
        missing.append(Missing("litellm.Router (no known Router shape)", Role.ROUTER))
    for module_name in (generation.run_async_module if generation else None, _FALLBACKS_MODULE):
        if module_name is None:
            continue
        module = _module(module_name)
        if module is not None and callable(vars(module).get("run_async_function")):
            targets.append(Target(module, "run_async_function", Role.RUN_ASYNC))
        else:
            missing.append(Missing(f"{module_name}.run_async_function", Role.RUN_ASYNC))
    batch = _module(_BATCH_MODULE)
    if batch is not None and isinstance(vars(batch).get("ThreadPoolExecutor"), type):
        targets.append(Target(batch, "ThreadPoolExecutor", Role.THREAD_POOL))
    else:
        missing.append(Missing(f"{_BATCH_MODULE}.ThreadPoolExecutor", Role.THREAD_POOL))
    # LiteLLM's stream wrapper calls the builder through the module, looked up at call time, at
    # the end of every stream; before 1.90 what it built reaches only LiteLLM's logging (see
    # assembly.py). From 1.90 there is nothing to take: 1.90.7, 1.109.3 and 1.110.2 hand it back
    # on the stream, and 1.106.12 and 1.108.14 count no prompt for OpenAI-compatible streams.
    if _release(version) < _HANDS_BACK_ITS_ASSEMBLY:
        if callable(getattr(litellm, "stream_chunk_builder", None)):
            targets.append(Target(litellm, "stream_chunk_builder", Role.ASSEMBLY))
        else:
            missing.append(Missing("litellm.stream_chunk_builder", Role.ASSEMBLY))
    for module_name, class_name, is_async in _TRANSPORTS:
        client = getattr(_module(module_name), class_name, None)
        if isinstance(client, type) and inspect.isfunction(vars(client).get("send")):
            targets.append(Target(client, "send", Role.TRANSPORT, positional=("request",), is_async=is_async))
        else:
            missing.append(Missing(f"{module_name}.{class_name}.send", Role.TRANSPORT))
    logging_class = getattr(_module(_LOGGING_MODULE), "Logging", None)
    if isinstance(logging_class, type) and inspect.isfunction(vars(logging_class).get("pre_call")):
        targets.append(Target(logging_class, "pre_call", Role.PRE_CALL))
    else:
        missing.append(Missing(f"{_LOGGING_MODULE}.Logging.pre_call", Role.PRE_CALL))
    return Plan(tuple(targets), tuple(missing), version)


def _add_entry_points(litellm: ModuleType, targets: list[Target], missing: list[Missing]) -> None:
    entry_points = (
        *((name, operation, Surface.CHAT, f"_PYTHON_{name.upper()}") for name, operation in ENTRY_POINTS),
        *((name, sc.OP_CHAT, Surface.MESSAGES, inner) for name, inner in MESSAGES_ENTRY_POINTS),
    )
    for name, operation, surface, implementation in entry_points:
        function = getattr(litellm, name, None)
        if not callable(function):
            missing.append(Missing(f"litellm.{name}", Role.ENTRY_POINT))
            continue
        targets.append(_function_target(litellm, name, Role.ENTRY_POINT, operation, function, surface))
        # From 1.106 a dispatch function (litellm.chat_completions.dispatch.completion) calls the
        # Python implementation through a module global read at call time, so a name imported
        # before instrument() is traced through it.
        dispatch = sys.modules.get(getattr(function, "__module__", "") or "")
        if dispatch is None or not dispatch.__name__.endswith(".dispatch"):
            continue
        inner = getattr(dispatch, implementation, None)
        if callable(inner):
            targets.append(
                _function_target(dispatch, implementation, Role.IMPLEMENTATION, operation, inner, surface)
            )
        else:
            missing.append(Missing(f"{dispatch.__name__}.{implementation}", Role.IMPLEMENTATION))


def _add_surface_entry_points(
    targets: list[Target], missing: list[Missing], release: tuple[int, ...]
) -> None:
    for module_name, names, operation, surface in SURFACE_ENTRY_POINTS:
        module = _module(module_name)
        for name in names:
            function = vars(module).get(name) if module is not None else None
            if callable(function) and not isinstance(function, ModuleType):
                target = _function_target(module, name, Role.ENTRY_POINT, operation, function, surface)
                # The `*_stream` functions return a stream whatever their arguments say.
                targets.append(dataclasses.replace(target, streams=name.endswith("_stream")))
                continue
            since = SURFACES_SINCE.get(f"{module_name}.{name}", SURFACES_SINCE.get(module_name, ()))
            if release >= since:  # not an API this LiteLLM predates (an unknown release counts as one)
                missing.append(Missing(f"{module_name}.{name}", Role.ENTRY_POINT))


def _add_messages_interfaces(targets: list[Target], missing: list[Missing]) -> None:
    for interface_name in _MESSAGES_INTERFACES:
        interface = _module(interface_name)
        for name in _MESSAGES_INTERFACE_FUNCTIONS:
            function = vars(interface).get(name) if interface is not None else None
            if callable(function):
                role, surface = Role.ENTRY_POINT, Surface.MESSAGES
                targets.append(_function_target(interface, name, role, sc.OP_CHAT, function, surface))
            else:
                missing.append(Missing(f"{interface_name}.{name}", Role.ENTRY_POINT))


_HANDS_BACK_ITS_ASSEMBLY: Final = (1, 90)


def _release(version: str) -> tuple[int, ...]:
    """The leading numbers of a release ("1.79.0" -> (1, 79, 0)); () when it has none, which
    sorts before every release: an unknown LiteLLM gets every hook that may apply."""
    numbers = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(n) for n in numbers.group().split(".")) if numbers else ()


def installed_version() -> str:
    """The installed LiteLLM's release, as its distribution says."""
    try:
        return importlib.metadata.version("litellm")
    except importlib.metadata.PackageNotFoundError:
        return "(version unknown)"


def _router_generation() -> _RouterGeneration | None:
    for generation in _ROUTER_GENERATIONS:
        try:
            found = importlib.util.find_spec(generation.module) is not None
        except (ImportError, ValueError):
            found = False
        if found:
            return generation
    return None


def _router_targets(generation: _RouterGeneration) -> tuple[list[Target], list[Missing]]:
    owner = getattr(_module(generation.module), generation.class_name, None)
    where = f"{generation.module}.{generation.class_name}"
    if not isinstance(owner, type):
        return [], [Missing(where, Role.ROUTER)]
    targets: list[Target] = []
    missing: list[Missing] = []
    for name, operation in generation.endpoints:
        method = vars(owner).get(name)
        if not inspect.isfunction(method):
            missing.append(Missing(f"{where}.{name}", Role.ROUTER))
            continue
        positional = _positional(method)[1:] or _router_positional(name)  # args reach wrapt without self
        targets.append(
            Target(owner, name, Role.ROUTER, operation, positional, inspect.iscoroutinefunction(method))
        )
    if generation.generic:
        method = vars(owner).get(_GENERIC_ROUTER_METHOD)
        if inspect.iscoroutinefunction(method):
            targets.append(
                Target(
                    owner, _GENERIC_ROUTER_METHOD, Role.GENERIC_ROUTER, None, _positional(method)[1:], True
                )
            )
        else:
            missing.append(Missing(f"{where}.{_GENERIC_ROUTER_METHOD}", Role.GENERIC_ROUTER))
    return targets, missing


def _router_positional(endpoint: str) -> tuple[str, ...]:
    """The 1.110 core's endpoints take `*args`: their positional order is the one it reads them
    back into keywords with (litellm.router_attempt.POSITIONAL, read from 1.110.2)."""
    order = getattr(_module("litellm.router_attempt"), "POSITIONAL", None)
    names = order.get(endpoint) if isinstance(order, Mapping) else None
    return tuple(str(name) for name in names) if isinstance(names, tuple) else ()


def _function_target(
    owner: Any, name: str, role: Role, operation: str, function: Any, surface: Surface = Surface.CHAT
) -> Target:
    return Target(
        owner, name, role, operation, _positional(function), inspect.iscoroutinefunction(function), surface
    )


def _positional(function: Any) -> tuple[str, ...]:
    # Dispatch functions take *args/**kwargs but set __wrapped__ to the legacy function, whose
    # signature inspect.signature follows.
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return ()
    return tuple(p.name for p in parameters if p.kind in _POSITIONAL_KINDS)


def _module(name: str) -> ModuleType | None:
    module = sys.modules.get(name)
    if module is not None:
        return module
    try:
        return importlib.import_module(name)
    except Exception:  # a LiteLLM module that fails to import is a missing target, not our crash
        return None


def _dotted(owner: Any) -> str:
    if isinstance(owner, ModuleType):
        return owner.__name__
    return f"{getattr(owner, '__module__', '?')}.{getattr(owner, '__qualname__', type(owner).__name__)}"
