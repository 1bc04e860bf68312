"""The canary: every public LiteLLM function that can send a request to a model provider, and
every Router endpoint, as the installed LiteLLM itself lists them (`catalog.derive`), is either
wrapped by `targets.find` (or by the targets of the modules patched on import, `LATE_MODULES`) or
named in `catalog.UNTRACED` with the reason it is not.

A LiteLLM release that adds a surface fails here, naming it and where it was found, instead of
its calls going untraced without a word. The full table (name -> traced by … / not traced,
because …) is printed (`pytest -s`) and attached to the report as the `canary` property.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterable, Mapping
from typing import Any

import litellm
import pytest

from litellm_otel._litellm import catalog, targets
from litellm_otel._litellm.catalog import Catalog, Entry

# The roles whose targets trace no public function of their own: the Router's, and the hooks
# around every call (an event-loop bridge, the pre-call hook, the stream assembler, the transport).
_ROUTER_ROLES = (targets.Role.ROUTER, targets.Role.GENERIC_ROUTER)
_HOOK_ROLES = ("RUN_ASYNC", "PRE_CALL", "ASSEMBLY", "TRANSPORT")

# Model inference: never to be waved through as untraced (other work traces them).
MODEL_INFERENCE = (
    "litellm.completion",
    "litellm.acompletion",
    "litellm.text_completion",
    "litellm.atext_completion",
    "litellm.embedding",
    "litellm.aembedding",
    "litellm.transcription",
    "litellm.atranscription",
    "litellm.speech",
    "litellm.aspeech",
    "litellm.moderation",
    "litellm.amoderation",
    "litellm.image_generation",
    "litellm.aimage_generation",
    "litellm.image_edit",
    "litellm.aimage_edit",
    "litellm.image_variation",
    "litellm.aimage_variation",
    "litellm.ocr",
    "litellm.aocr",
    "litellm.search",
    "litellm.asearch",
    "litellm.video_generation",
    "litellm.avideo_generation",
    "litellm.google_genai.generate_content",
    "litellm.agenerate_content",
    "litellm.google_genai.generate_content_stream",
    "litellm.google_genai.agenerate_content_stream",
    "litellm.interactions.create",
    "litellm.interactions.acreate",
    "litellm.anthropic_messages",
    "litellm.rerank",
    "litellm.arerank",
    "litellm.responses",
    "litellm.aresponses",
    "litellm.completion_with_retries",
    "litellm.acompletion_with_retries",
    "litellm.responses_with_retries",  # 1.90+, the Responses API twin of completion_with_retries
    "litellm.aresponses_with_retries",
    "litellm.batch_completion",
    "litellm.batch_completion_models",
    "litellm.batch_completion_models_all_responses",
    "litellm.experimental_mcp_client.call_openai_tool",
    "litellm.mcp_client.call_openai_tool",
    "litellm.mcp_client.tools.call_mcp_tool",
    "litellm.experimental_mcp_client.tools.call_mcp_tool",
    # Inference the brief did not name, read from 1.90.7 … 1.110.2: video edits and extensions are
    # generation jobs; compact_responses runs a model over a conversation (POST
    # /v1/responses/compact, with usage); decisions, systemone (1.106+) and extraction (1.109+)
    # answer questions about images, audio, video or documents with a model.
    "litellm.generate_content",
    "litellm.video_remix",
    "litellm.avideo_remix",
    "litellm.video_edit",
    "litellm.avideo_edit",
    "litellm.video_extension",
    "litellm.avideo_extension",
    "litellm.compact_responses",
    "litellm.acompact_responses",
    "litellm.decisions",
    "litellm.adecisions",
    "litellm.systemone",
    "litellm.asystemone",
    "litellm.extraction",
    "litellm.aextraction",
)


def wrapped_targets(plan: targets.Plan) -> list[targets.Target]:
    """What litellm-otel wraps on this LiteLLM: the plan, and the targets of the modules it patches
    when they are imported (`targets.LATE_MODULES`: the MCP client), for those already imported."""
    found = list(plan.targets)
    late_modules: Iterable[tuple[str, Any]] = getattr(targets, "LATE_MODULES", ())
    for module_name, late_targets in late_modules:
        module = sys.modules.get(module_name)
        if module is not None:
            found.extend(late_targets(module)[0])
    return found


def tracing_target(entry: Entry, wrapped: Iterable[targets.Target]) -> str | None:
    """The label of a target that traces `entry`, if one does: for a function, a target bound to
    one of its names or to one of its function objects; for a Router endpoint, a Router target of
    the same method name, or the generic Router method for the calls it serves per instance."""
    if entry.name.startswith(f"{catalog.ROUTER}."):
        endpoint = entry.name.split(".", 1)[1]
        for target in wrapped:
            if target.role is targets.Role.ROUTER and target.name == endpoint:
                return target.label
        if entry.generic and entry.routes in targets.GENERIC_ROUTER_CALLS:
            generic = [t.label for t in wrapped if t.role is targets.Role.GENERIC_ROUTER]
            return f"{generic[0]} ({entry.routes})" if generic else None
        return None
    functions = {id(function) for function in entry.functions}
    for target in wrapped:
        if target.role in _ROUTER_ROLES or target.role.name in _HOOK_ROLES:
            continue
        if target.label in entry.aliases or id(_wrapped_object(target)) in functions:
            return target.label
    return None


def _wrapped_object(target: targets.Target) -> Any:
    owner = target.owner
    found = vars(owner).get(target.name) if hasattr(owner, "__dict__") else None
    return found if found is not None else getattr(owner, target.name, None)


def canary_table(found: Catalog, plan: targets.Plan) -> tuple[list[str], list[Entry]]:
    """The table's lines, and the entries neither traced nor listed in UNTRACED."""
    lines = [
        f"LiteLLM {plan.litellm_version}: {len(found.functions)} public functions, "
        f"{len(found.router_endpoints)} Router endpoints ({found.router_class})"
    ]
    neither: list[Entry] = []
    wrapped = wrapped_targets(plan)
    for entry in found.entries:
        label = tracing_target(entry, wrapped)
        if label is not None:
            status = f"traced by {label}"
        elif entry.name in catalog.UNTRACED:
            status = catalog.UNTRACED[entry.name]
        else:
            status = "NEITHER TRACED NOR LISTED IN catalog.UNTRACED"
            neither.append(entry)
        lines.append(f"  {entry.name} -> {status}  [found: {', '.join(entry.sources)}]")
    if found.unresolved:
        lines.append(f"  CallTypes values naming no function: {', '.join(found.unresolved)}")
    if found.failure:
        lines.append(f"  THE DERIVATION FAILED: {found.failure}")
    if found.not_imported:
        lines.append(f"  modules that failed to import: {', '.join(found.not_imported)}")
    return lines, neither


def _failure(neither: Iterable[Entry], version: str) -> str:
    listed = "\n".join(f"  {entry.name}  (found: {', '.join(entry.sources)})" for entry in neither)
    return (
        f"LiteLLM {version} has surfaces that are neither traced by targets.find() nor listed in "
        f"litellm_otel._litellm.catalog.UNTRACED with a reason:\n{listed}"
    )


def test_every_surface_of_this_litellm_is_traced_or_untraced_for_a_reason(
    record_property: Any,
) -> None:
    found = catalog.derive(litellm)
    plan = targets.find(litellm)
    lines, neither = canary_table(found, plan)
    table = "\n".join(lines)
    print(f"\n{table}")
    record_property("canary", table)
    assert found.failure is None, f"the catalog's derivation failed: {found.failure}"
    # A derivation that found nothing would pass vacuously: each source must have answered.
    sources = {
        source.split(".", 1)[0].split(" ", 1)[0] for entry in found.functions for source in entry.sources
    }
    assert {"CallTypes", "@client"} <= sources, f"the catalog's sources went quiet: {sorted(sources)}"
    assert found.router_class is not None and found.router_endpoints, "no Router endpoints were found"
    if neither:
        pytest.fail(_failure(neither, plan.litellm_version), pytrace=False)


def test_no_model_inference_surface_is_waved_through_as_untraced() -> None:
    # The deliberate exceptions: Router endpoints whose attempts are traced without a router span
    # (up to 1.109 responses/aresponses, bound per instance; the endpoints served by a path of
    # their own or by name: catalog.ATTEMPTS_ONLY_ROUTER_ENDPOINTS).
    allowed = {
        f"{catalog.ROUTER}.responses",
        f"{catalog.ROUTER}.aresponses",
        *catalog.ATTEMPTS_ONLY_ROUTER_ENDPOINTS,
    }
    router_names = {f"{catalog.ROUTER}.{name.rsplit('.', 1)[1]}" for name in MODEL_INFERENCE} - allowed
    sdk_names = set(MODEL_INFERENCE) - {
        "litellm.batch_completion",
        "litellm.batch_completion_models",
        "litellm.batch_completion_models_all_responses",
    }
    waved = sorted((sdk_names | router_names) & set(catalog.UNTRACED))
    assert not waved, f"model inference listed as not traced: {waved}"


def test_every_untraced_name_says_why() -> None:
    for name, reason in catalog.UNTRACED.items():
        assert name.startswith(("litellm.", f"{catalog.ROUTER}.")), name
        assert reason.startswith("not traced, because "), (name, reason)
        assert len(reason) > len("not traced, because ") + 20, (name, reason)


def _module(name: str, **attributes: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(module, key, value)
    return module


class _Exploding(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"lazy import of {name} failed")


class _OddEnum:
    __members__: Mapping[Any, Any] = {"a": 1, "b": types.SimpleNamespace(value="no such function"), 3: "x"}


@pytest.mark.parametrize(
    "odd",
    [
        None,
        object(),
        "litellm",
        _module("litellm_without_anything"),
        _module("litellm_with_odd_path", __path__=[42, "/no/such/directory"]),
        _module("litellm_with_odd_path_type", __path__=17),
        _Exploding("litellm_exploding"),
        _module("litellm_odd_calltypes", CallTypes=_OddEnum, completion=lambda: None),
    ],
    ids=["none", "object", "string", "empty-module", "odd-path", "path-not-a-list", "exploding", "odd-enum"],
)
def test_the_derivation_never_raises_on_odd_input(odd: Any) -> None:
    found = catalog.derive(odd)
    assert isinstance(found, Catalog)
    assert found.functions == ()
    assert found.failure is None  # handled, not caught as a crash


def test_the_derivation_never_raises_on_odd_litellm_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    # A LiteLLM whose types.utils has a CallTypes of odd members and whose utils.client is no
    # function: the catalog reads what it can.
    fake = _module("fakellm", __path__=[], completion=lambda: None)
    fake_types = _module("fakellm.types", __path__=[])
    monkeypatch.setitem(sys.modules, "fakellm", fake)
    monkeypatch.setitem(sys.modules, "fakellm.types", fake_types)
    monkeypatch.setitem(
        sys.modules, "fakellm.types.utils", _module("fakellm.types.utils", CallTypes=_OddEnum)
    )
    monkeypatch.setitem(sys.modules, "fakellm.utils", _module("fakellm.utils", client="not a decorator"))
    found = catalog.derive(fake)
    assert [entry.name for entry in found.functions] == []
    assert found.unresolved == ()
    assert catalog.client_codes(fake) == frozenset()


_FAKE_LITELLM = {
    "__init__.py": "from .main import *\nfrom .chat.dispatch import transcription\n",
    "utils.py": (
        "import functools\n"
        "def client(function):\n"
        "    @functools.wraps(function)\n"
        "    def wrapper(*args, **kwargs):\n"
        "        return function(*args, **kwargs)\n"
        "    return wrapper\n"
    ),
    "types/__init__.py": "",
    "types/utils.py": (
        "import enum\n"
        "class CallTypes(str, enum.Enum):\n"
        "    completion = 'completion'\n"
        "    speech = 'speech'\n"
        "    gone = 'no_such_call'\n"
    ),
    "main.py": (
        "from .utils import client\n"
        "@client\n"
        "def completion(model, messages):\n"
        "    return 'sent'\n"
        "@client\n"
        "def speech(model, input):\n"
        "    return b'audio'\n"
        "def completion_with_retries(**kwargs):\n"
        "    return completion(**kwargs)\n"
        "def helper():\n"
        "    return 1\n"
    ),
    "chat/__init__.py": "",
    "chat/dispatch.py": (
        "__all__ = ('transcription',)\ndef transcription(*args, **kwargs):\n    return 'native'\n"
    ),
}


def test_the_derivation_reads_each_source_of_a_litellm_like_package(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "fakellm_canary"
    for path, text in _FAKE_LITELLM.items():
        file = tmp_path / name / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        fake = importlib.import_module(name)
        found = catalog.derive(fake)
    finally:
        for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[module]
    sources = {entry.name: entry.sources for entry in found.functions}
    assert sources == {
        f"{name}.completion": ("CallTypes.completion", "@client"),
        f"{name}.speech": ("CallTypes.speech", "@client"),
        f"{name}.transcription": (f"{name}.chat.dispatch.__all__",),
        f"{name}.completion_with_retries": (f"calls {name}.completion",),
    }
    assert found.unresolved == ("no_such_call",)
    assert found.router_class is None and found.router_endpoints == ()
