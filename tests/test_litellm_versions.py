"""What gets patched on each tested LiteLLM release, and what happens when a target is missing.

The expected targets are spelled out per release range here, independently of
`litellm_otel._litellm.targets`: a LiteLLM that moves a hook fails this module on the release that
moved it, instead of losing spans quietly.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
from typing import Any

import litellm
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from packaging.version import Version

from fake_provider import FakeProvider
from helpers import API_KEY, ENTRY_POINTS, USER_MESSAGES, only_span
from litellm_otel import LiteLLMInstrumentor
from litellm_otel._litellm import targets

LITELLM = Version(importlib.metadata.version("litellm"))

ENTRY_POINT_TARGETS = [f"litellm.{name}" for name in ENTRY_POINTS]
# 1.106 moved chat, embeddings and responses behind dispatch functions.
DISPATCH_IMPLEMENTATIONS = [
    f"litellm.{module}.dispatch._PYTHON_{name}"
    for module, names in (
        ("chat_completions", ("COMPLETION", "ACOMPLETION")),
        ("embeddings", ("EMBEDDING", "AEMBEDDING")),
        ("responses", ("RESPONSES", "ARESPONSES")),
    )
    for name in names
]
# The Anthropic Messages API: its two functions (dispatch functions over `_PYTHON_AMESSAGES` and
# `_PYTHON_MESSAGES` from 1.106), and the Anthropic-SDK-shaped create/acreate, on every release.
MESSAGES_ENTRY_POINTS = (("anthropic_messages", "AMESSAGES"), ("anthropic_messages_handler", "MESSAGES"))
MESSAGES_INTERFACES = [
    f"litellm.anthropic_interface{package}.{name}"
    for package in (".messages", "")
    for name in ("create", "acreate")
]
# The other APIs, on every release: the `litellm` names, and the package names Routers up to
# 1.109 bind (the same functions); litellm.agenerate_content has no sync twin on `litellm`.
SURFACE_ENTRY_POINTS = [
    *(
        f"litellm.{name}"
        for base in ("transcription", "speech", "moderation", "image_edit", "image_variation", "ocr")
        for name in (base, f"a{base}")
    ),
    "litellm.ocr.ocr",
    "litellm.ocr.aocr",
    "litellm.search",
    "litellm.asearch",
    "litellm.search.search",
    "litellm.search.asearch",
    "litellm.video_generation",
    "litellm.avideo_generation",
    "litellm.videos.video_generation",
    "litellm.videos.avideo_generation",
    "litellm.video_remix",
    "litellm.avideo_remix",
    "litellm.agenerate_content",
    "litellm.google_genai.generate_content",
    "litellm.google_genai.agenerate_content",
    "litellm.google_genai.generate_content_stream",
    "litellm.google_genai.agenerate_content_stream",
    "litellm.completion_with_retries",
    "litellm.acompletion_with_retries",
    "litellm.adapter_completion",
    "litellm.aadapter_completion",
]
# Google's Interactions API, from 1.90 (no `litellm.interactions` on 1.79).
INTERACTIONS_ENTRY_POINTS = ["litellm.interactions.create", "litellm.interactions.acreate"]
# Every entry point but these is a Router endpoint of every generation (1.110 adds aresponses),
# and so are atranscription and aspeech.
ROUTER_ENDPOINTS = [
    *(name for name in ENTRY_POINTS if name not in ("responses", "aresponses", "rerank")),
    "atranscription",
    "aspeech",
]
FALLBACKS_BRIDGE = "litellm.litellm_core_utils.fallback_utils.run_async_function"
# batch_completion's thread pool, which must carry the caller's context to its calls.
BATCH_POOL = "litellm.batch_completion.main.ThreadPoolExecutor"
PRE_CALL = "litellm.litellm_core_utils.litellm_logging.Logging.pre_call"
STREAM_ASSEMBLY = "litellm.stream_chunk_builder"
# Every provider request goes out through these: retries inside one call are counted there.
TRANSPORTS = ["httpx.Client.send", "httpx.AsyncClient.send"]


def expected_targets(release: Version) -> list[str]:
    """Every attribute litellm-otel must wrap on `release`, in the order it wraps them."""
    expected: list[str] = []
    for entry_point in ENTRY_POINT_TARGETS:
        expected.append(entry_point)
        if release >= Version("1.106"):
            expected += [
                d for d in DISPATCH_IMPLEMENTATIONS if d.rsplit("_PYTHON_", 1)[1] == entry_point[8:].upper()
            ]
    for name, implementation in MESSAGES_ENTRY_POINTS:
        expected.append(f"litellm.{name}")
        if release >= Version("1.106"):
            expected.append(f"litellm.messages.dispatch._PYTHON_{implementation}")
    expected += SURFACE_ENTRY_POINTS
    if release >= Version("1.90"):
        expected += INTERACTIONS_ENTRY_POINTS
        videos = ("video_edit", "avideo_edit", "video_extension", "avideo_extension")
        expected += [f"litellm{package}.{name}" for package in ("", ".videos") for name in videos]
        expected += [
            f"litellm.{name}"
            for name in (
                "responses_with_retries",
                "aresponses_with_retries",
                "compact_responses",
                "acompact_responses",
            )
        ]
    if release >= Version("1.106"):
        expected += [f"litellm.{name}" for name in ("decisions", "adecisions", "systemone", "asystemone")]
    if release >= Version("1.109"):
        expected += ["litellm.extraction", "litellm.aextraction"]
    expected += MESSAGES_INTERFACES
    # Up to 1.109 the Routers build aanthropic_messages per instance: its router span comes from
    # the class method those endpoints call.
    generic = "_ageneric_api_call_with_fallbacks"
    if release >= Version("1.110"):  # the Rust-backed core; sync calls need no event-loop bridge
        core = "litellm.router_rust.core.RustCore"
        endpoints = [
            *ROUTER_ENDPOINTS,
            "aresponses",
            "aanthropic_messages",
            "anthropic_messages",
            "amoderation",
        ]
        expected += [f"{core}.{name}" for name in endpoints]
    elif release >= Version("1.109"):  # the Router facade over the Python core
        core = "litellm.router_python_core.PythonCore"
        expected += [f"{core}.{name}" for name in [*ROUTER_ENDPOINTS, generic]]
        expected.append("litellm.router_python_core.run_async_function")
    else:
        expected += [f"litellm.router.Router.{name}" for name in [*ROUTER_ENDPOINTS, generic]]
        expected.append("litellm.router.run_async_function")
    expected.append(FALLBACKS_BRIDGE)
    expected.append(BATCH_POOL)
    if release < Version("1.90"):  # where a stream keeps its own token count nowhere
        expected.append(STREAM_ASSEMBLY)
    return [*expected, *TRANSPORTS, PRE_CALL]


def patched_at_import(instrumentor: LiteLLMInstrumentor) -> list[str]:
    """What was patched when LiteLLM was imported: LiteLLM's MCP client is patched when the
    application imports it, which another test in this process may have done."""
    return [label for label in instrumentor.patched_targets if "mcp_client" not in label]


def resolve(label: str) -> tuple[Any, str]:
    """(owner, attribute) of a dotted label: the longest importable module, then attributes."""
    parts = label.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:-1]:
            owner = getattr(owner, name)
        return owner, parts[-1]
    raise LookupError(label)


def test_every_expected_target_of_this_release_is_patched_and_nothing_is_missing(
    tracer_provider: TracerProvider, caplog: pytest.LogCaptureFixture
) -> None:
    instrumentor = LiteLLMInstrumentor()
    with caplog.at_level(logging.WARNING, logger="litellm_otel"):
        instrumentor.instrument(tracer_provider=tracer_provider)
    try:
        assert patched_at_import(instrumentor) == expected_targets(LITELLM)
        assert [r.getMessage() for r in caplog.records if r.name.startswith("litellm_otel")] == []
    finally:
        instrumentor.uninstrument()


def test_uninstrument_restores_every_original(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    places = [resolve(label) for label in expected_targets(LITELLM)]
    originals = [vars(owner)[name] for owner, name in places]
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    pairs = list(zip(places, originals, strict=True))
    assert all(vars(owner)[name] is not original for (owner, name), original in pairs)

    instrumentor.uninstrument()

    assert all(vars(owner)[name] is original for (owner, name), original in pairs)
    assert instrumentor.patched_targets == ()
    litellm.completion(
        model="openai/fake-gpt", messages=USER_MESSAGES, api_base=provider.openai_base, api_key=API_KEY
    )
    assert span_exporter.get_finished_spans() == ()


def router_endpoint_owner() -> Any:
    # The last one: the entry point litellm.aimage_generation comes first.
    endpoint = [label for label in expected_targets(LITELLM) if label.endswith(".aimage_generation")][-1]
    owner, _ = resolve(endpoint)
    return owner


def test_a_missing_router_endpoint_is_named_in_one_warning_and_the_rest_is_traced(
    provider: FakeProvider,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A LiteLLM release that dropped one Router endpoint: simulated on the installed one.
    owner = router_endpoint_owner()
    monkeypatch.delattr(owner, "aimage_generation")
    instrumentor = LiteLLMInstrumentor()
    with caplog.at_level(logging.WARNING, logger="litellm_otel"):
        instrumentor.instrument(tracer_provider=tracer_provider)
    try:
        warnings = [r.getMessage() for r in caplog.records if r.name.startswith("litellm_otel")]
        label = f"{owner.__module__}.{owner.__qualname__}.aimage_generation"
        assert len(warnings) == 1, warnings
        assert label in warnings[0]
        assert str(LITELLM) in warnings[0]
        assert "no router span" in warnings[0]
        assert label not in instrumentor.patched_targets
        assert len(patched_at_import(instrumentor)) == len(expected_targets(LITELLM)) - 1
        litellm.completion(
            model="openai/fake-gpt", messages=USER_MESSAGES, api_base=provider.openai_base, api_key=API_KEY
        )
        assert only_span(span_exporter).name == "chat openai/fake-gpt"
    finally:
        instrumentor.uninstrument()


def test_an_unknown_router_shape_is_named_in_a_warning(
    tracer_provider: TracerProvider, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The next LiteLLM rewrite: none of the Router generations we know is there.
    monkeypatch.setattr(targets, "_ROUTER_GENERATIONS", ())
    instrumentor = LiteLLMInstrumentor()
    with caplog.at_level(logging.WARNING, logger="litellm_otel"):
        instrumentor.instrument(tracer_provider=tracer_provider)
    try:
        warnings = [r.getMessage() for r in caplog.records if r.name.startswith("litellm_otel")]
        assert len(warnings) == 1, warnings
        assert "litellm.Router (no known Router shape)" in warnings[0]
        assert "litellm.completion" in instrumentor.patched_targets
    finally:
        instrumentor.uninstrument()


def test_an_api_newer_than_the_installed_litellm_is_not_missing_but_one_it_should_have_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A surface module that does not exist: on a release before its `since` LiteLLM lacks it by
    # design (litellm.interactions on 1.79); on one after, it went missing.
    entry = ("litellm.no_such_api", ("create", "acreate"), "chat", targets.Surface.CHAT)
    monkeypatch.setattr(targets, "SURFACE_ENTRY_POINTS", (*targets.SURFACE_ENTRY_POINTS, entry))

    since = targets.SURFACES_SINCE
    monkeypatch.setattr(targets, "SURFACES_SINCE", {**since, "litellm.no_such_api": (9999,)})
    assert [m.label for m in targets.find(litellm).missing] == []

    monkeypatch.setattr(targets, "SURFACES_SINCE", {**since, "litellm.no_such_api": (1, 0)})
    missing = targets.find(litellm).missing
    assert [m.label for m in missing] == ["litellm.no_such_api.create", "litellm.no_such_api.acreate"]


def test_the_instruments_range_excludes_the_malicious_uploads() -> None:
    from packaging.requirements import Requirement

    from litellm_otel.package import _instruments

    (requirement,) = (Requirement(spec) for spec in _instruments)
    for bad in ("1.82.7", "1.82.8", "1.107.0"):
        assert not requirement.specifier.contains(bad)
    for good in ("1.79.0", "1.82.6", "1.82.9", "1.106.12", "1.107.1", "1.110.2"):
        assert requirement.specifier.contains(good)


def test_the_instruments_extra_names_the_same_range() -> None:
    from packaging.requirements import Requirement

    from litellm_otel.package import _instruments

    extra = [
        Requirement(spec)
        for spec in importlib.metadata.requires("litellm-otel") or ()
        if Requirement(spec).marker is not None and 'extra == "instruments"' in str(Requirement(spec).marker)
    ]
    assert [str(r.specifier) for r in extra] == [str(Requirement(spec).specifier) for spec in _instruments]
