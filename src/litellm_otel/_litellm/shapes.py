"""Pure readers of LiteLLM's private shapes: where it keeps what the public objects do not show.

A LiteLLM result or stream (or a mapping shaped like one) in, plain values out; odd input gives
None or an empty mapping, never an exception.
"""

from __future__ import annotations

import base64
import binascii
import operator
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, Final

from litellm_otel import extract
from litellm_otel import semconv as sc
from litellm_otel.readers import MAX_INT, MAX_TEXT, count, field, number, text

if TYPE_CHECKING:
    from litellm_otel.stream_state import StreamState

_MISSING: Final = object()
_NO_HIDDEN: Final[Mapping[str, Any]] = MappingProxyType({})


def hidden_params(response: object) -> Mapping[str, Any]:
    """LiteLLM's `_hidden_params` of a result (cost, api_base, provider), or an empty mapping."""
    # A LiteLLM result or chunk keeps them among pydantic's private attributes, a stream wrapper
    # in its __dict__: both read directly (field() looks in the extra fields first).
    if type(response) is dict:  # a plain result (Messages API, generateContent): no attributes to try
        hidden = response.get("_hidden_params")
        return _NO_HIDDEN if hidden is None else hidden if isinstance(hidden, Mapping) else _NO_HIDDEN
    private = getattr(response, "__pydantic_private__", None)
    hidden = private.get("_hidden_params") if type(private) is dict else None
    if hidden is None:
        data = getattr(response, "__dict__", None)
        hidden = data.get("_hidden_params") if type(data) is dict else None
        if hidden is None:
            hidden = field(response, "_hidden_params")
    if type(hidden) is dict:  # LiteLLM's own, at every call's end: no ABC check for it
        return hidden
    return hidden if isinstance(hidden, Mapping) else {}


# A LiteLLM `Usage` (1.79.0 … 1.110.2) holds exactly these fields when it has only the three plain
# counts, its details None; read in one call.
_PLAIN_USAGE_FIELDS: Final = operator.itemgetter(
    "prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details"
)
# The fields of a `ModelResponse` that are read, in one call; among its extra fields, any of
# them would hide the declared one from the generic readers.
_RESPONSE_FIELD_NAMES: Final = ("id", "model", "choices")
_RESPONSE_FIELDS: Final = operator.itemgetter(*_RESPONSE_FIELD_NAMES)
_DECLARED_RESPONSE_FIELDS: Final = frozenset(_RESPONSE_FIELD_NAMES)


def _add_plain_usage(attributes: extract.Attributes, usage: object) -> bool:
    """Adds the counts of a `Usage` holding three plain int counts and nothing else that
    `extract.usage_attributes` reads; False, adding nothing, for any other usage (which that
    reader then takes: each test here may be stricter than it, never looser)."""
    data = getattr(usage, "__dict__", None)
    extra = getattr(usage, "__pydantic_extra__", None)
    # No extra fields (a provider's cache or reasoning spelling) and no other declared ones.
    if type(data) is not dict or len(data) != 5 or type(extra) is not dict or extra:
        return False
    try:
        input_tokens, output_tokens, total, input_details, output_details = _PLAIN_USAGE_FIELDS(data)
    except KeyError:
        return False
    if (
        input_details is not None
        or output_details is not None
        or type(input_tokens) is not int
        or type(output_tokens) is not int
        or type(total) is not int
        # one range test for the three: the bitwise or of ints is negative if any of them is,
        # and at most MAX_INT only if all of them are
        or not 0 <= (input_tokens | output_tokens | total) <= MAX_INT
    ):
        return False
    attributes[sc.GEN_AI_USAGE_INPUT_TOKENS] = input_tokens
    attributes[sc.GEN_AI_USAGE_OUTPUT_TOKENS] = output_tokens
    attributes[sc.GEN_AI_USAGE_TOTAL_TOKENS] = total
    return True


def model_response_attributes(result: object) -> tuple[extract.Attributes, Mapping[str, Any]] | None:
    """What `extract.response_attributes` finds in a chat or text completion result, with its
    `_hidden_params`, read straight from a LiteLLM `ModelResponse`'s pydantic dicts; None for
    anything of another shape, which the generic readers then take.

    The layout, read from 1.79.0 and 1.110.2: the response's fields in its `__dict__`, its
    `usage` and any provider-specific fields among pydantic's extra fields, `_hidden_params`
    among its private attributes; each `Choices` holds `finish_reason` in its `__dict__`. A
    `Usage` of three plain int counts is read here; one with a cache or reasoning breakdown or
    provider-specific fields, by `extract.usage_attributes`. The generic readers take ~30 calls
    to find the same: most of the end of a traced call's cost.
    """
    try:
        data = result.__dict__
        extra = result.__pydantic_extra__  # type: ignore[attr-defined]
        hidden = result.__pydantic_private__["_hidden_params"]  # type: ignore[attr-defined]
        response_id, model, choices = _RESPONSE_FIELDS(data)
    except Exception:  # not a pydantic model, or not a ModelResponse
        return None
    if type(data) is not dict or type(hidden) is not dict or type(choices) is not list:
        return None
    usage = data.get("usage")
    if extra:  # the generic readers let extra fields win over the declared ones
        if type(extra) is not dict or not _DECLARED_RESPONSE_FIELDS.isdisjoint(extra):
            return None
        usage = extra.get("usage", usage)
    attributes: extract.Attributes = {}
    if isinstance(response_id, str) and response_id:
        attributes[sc.GEN_AI_RESPONSE_ID] = response_id[:MAX_TEXT]
    if isinstance(model, str) and model:
        attributes[sc.GEN_AI_RESPONSE_MODEL] = model[:MAX_TEXT]
    reasons = []
    for choice in choices:
        try:
            reason = choice.__dict__["finish_reason"]
        except Exception:  # a choice of another shape (a dict, no such field): the generic readers'
            return None
        if isinstance(reason, str) and reason:
            reasons.append(reason[:MAX_TEXT])
    if reasons:
        attributes[sc.GEN_AI_RESPONSE_FINISH_REASONS] = reasons
    if usage is not None and not _add_plain_usage(attributes, usage):
        attributes.update(extract.usage_attributes(usage))
    return attributes, hidden


# LiteLLM's own ids (1.79 … 1.110.2): for the Responses API (`ResponsesAPIRequestUtils`) "resp_" +
# base64 of "litellm:custom_llm_provider:{};model_id:{};response_id:{}", and for videos
# (1.110.2, `videos/utils.py`) "video_" + base64 of "…;model_id:{};video_id:{}": the provider's
# id last.
_MANAGED_IDS: Final = (("resp_", ";response_id:"), ("video_", ";video_id:"))
_MANAGED_PREFIXES: Final = tuple(prefix for prefix, _ in _MANAGED_IDS)
_MANAGED_ID_START: Final = "litellm:custom_llm_provider:"


def provider_response_id(response_id: object) -> str | None:
    """The provider's id inside an id LiteLLM re-encoded with its routing data (Responses API,
    videos), or None when `response_id` is not one of those (a provider's own `resp_…` id stays
    as it is)."""
    # One test for every response id (most are a provider's chatcmpl-… or msg_…): none of ours.
    if not isinstance(response_id, str) or not response_id.startswith(_MANAGED_PREFIXES):
        return None
    for prefix, field_name in _MANAGED_IDS:
        if not response_id.startswith(prefix):
            continue
        try:
            decoded = base64.b64decode(response_id[len(prefix) :], validate=True).decode()
        except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
            return None
        if not decoded.startswith(_MANAGED_ID_START):
            return None
        _, found, inner = decoded.rpartition(field_name)
        return inner if found and inner else None
    return None


def response_text_so_far(stream: object) -> object:
    """The completion text a LiteLLM stream assembled (`CustomStreamWrapper.response_uptil_now`)."""
    return field(stream, "response_uptil_now")


def provider_response_model(stream: object) -> str | None:
    """The model the provider named in its stream's chunks, which LiteLLM overwrites with the
    request model on the chunks it yields (1.79 … 1.110); 1.110 keeps the provider's name on the
    stream wrapper (`CustomStreamWrapper._provider_response_model`), earlier releases nowhere."""
    return text(getattr(stream, "_provider_response_model", None))


def logged_api_base(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str | None:
    """The URL LiteLLM is about to post to, from its `Logging.pre_call(input, api_key, model,
    additional_args)` call: every provider handler logs it as `additional_args["api_base"]`
    (1.79 … 1.110.2). For Bedrock it is the only place the endpoint shows: LiteLLM builds it
    from `aws_bedrock_runtime_endpoint` or the region and reports `api_base=None` elsewhere."""
    additional = kwargs.get("additional_args", args[3] if len(args) > 3 else None)
    return text(field(additional, "api_base"))


_TAIL_CHUNKS: Final = 4  # how many of a stream's last kept chunks may hold its usage


def _input_tokens(usage: object) -> int:
    if usage is None:  # most chunks and streams: no call for nothing
        return 0
    # The Responses API's name only where the chat one gives no count, as usage_attributes reads
    # them: LiteLLM's `Usage` always has `prompt_tokens` (0 in its empty defaults), its
    # Responses API usage only `input_tokens`.
    tokens = count(field(usage, "prompt_tokens"))
    return (count(field(usage, "input_tokens")) if tokens is None else tokens) or 0


def _output_tokens(usage: object) -> int:
    if usage is None:
        return 0
    tokens = count(field(usage, "completion_tokens"))
    return (count(field(usage, "output_tokens")) if tokens is None else tokens) or 0


def _chunk_usage(chunk: object) -> Any:
    # LiteLLM's chunks are read from their dicts (most have no usage, in neither dict; 1.79
    # keeps a usage chunk's usage among pydantic's extra fields).
    data = getattr(chunk, "__dict__", None)
    extra = getattr(chunk, "__pydantic_extra__", _MISSING)
    if type(data) is dict and (extra is None or type(extra) is dict):
        usage = data.get("usage")
        if usage is None and extra:
            usage = extra.get("usage")
        return usage
    return field(chunk, "usage")


def final_chunk_usage(chunks: object) -> Any:
    """The usage on the last chunk LiteLLM kept of a stream (`stream.chunks`), when it is a
    whole count (has input tokens), else None.

    The kept chunks are LiteLLM's parse of each provider frame, before its stream wrapper
    totals or re-counts anything; providers that send usage put their final, cumulative count
    on their last frame (Bedrock's `metadata` event, Gemini's last chunk, OpenAI-compatible
    usage chunks). What LiteLLM derives from them can be worse: 1.79 totals the hidden usage
    when the finishing chunk goes out, before Bedrock's trailing `metadata` frame (zeros), and
    with prompt and completion tokens only (Gemini's cache and reasoning counts lost); its
    usage chunk for `include_usage` on azure_ai is a token estimate.
    """
    if not isinstance(chunks, list) or not chunks:
        return None
    usage = _chunk_usage(chunks[-1])
    return usage if _input_tokens(usage) else None


def merged_usage(chunks: object) -> dict[str, Any] | None:
    """One usage from the usage-bearing chunks LiteLLM kept of a stream (`stream.chunks`), in
    LiteLLM's `Usage` shape. Providers report cumulative counts (Anthropic: input and cache in
    message_start, output in message_delta), so each count is the largest reported."""
    if not isinstance(chunks, list):
        return None
    totals: dict[str, int] = {}

    def keep(name: str, value: object) -> None:
        value = count(value)
        if value is not None and value >= totals.get(name, 0):
            totals[name] = value

    for chunk in chunks:
        # Every chunk of the stream is walked once, without a call per chunk.
        usage = _chunk_usage(chunk)
        if usage is None:
            continue
        keep("prompt_tokens", field(usage, "prompt_tokens"))
        keep("completion_tokens", field(usage, "completion_tokens"))
        details = field(usage, "prompt_tokens_details")
        keep("cached_tokens", field(details, "cached_tokens"))
        keep(
            "cache_write_tokens",
            field(details, "cache_write_tokens") or field(details, "cache_creation_tokens"),
        )
        keep("reasoning_tokens", field(field(usage, "completion_tokens_details"), "reasoning_tokens"))
    if not totals.get("prompt_tokens"):
        return None
    merged: dict[str, Any] = {
        "prompt_tokens": totals["prompt_tokens"],
        "completion_tokens": totals.get("completion_tokens", 0),
        "total_tokens": totals["prompt_tokens"] + totals.get("completion_tokens", 0),
    }
    prompt_details = {k: totals[k] for k in ("cached_tokens", "cache_write_tokens") if k in totals}
    if prompt_details:
        merged["prompt_tokens_details"] = prompt_details
    if "reasoning_tokens" in totals:
        merged["completion_tokens_details"] = {"reasoning_tokens": totals["reasoning_tokens"]}
    return merged


def stream_charge(state: StreamState, stream: object) -> float | None:
    """What LiteLLM billed a stream from the provider's own charge (OpenRouter's `usage.cost`,
    xAI's `cost_in_usd_ticks`, Perplexity's `usage.cost.total_cost`), wherever it kept it: the
    last chunk's hidden `upstream_usage_cost` or `response_cost` (1.110, with `include_usage`),
    the `cost` of the hidden usage total (1.110, without), of the usage chunk the caller saw, or
    of the last kept chunk's usage. None when none of them holds a number."""
    hidden = hidden_params(state.last_chunk)
    for value in (
        hidden.get("upstream_usage_cost"),
        hidden.get("response_cost"),
        field(hidden.get("usage"), "cost"),
        field(state.usage, "cost"),
        field(final_chunk_usage(field(stream, "chunks")), "cost"),
    ):
        charge = number(value)
        if charge is not None and charge > 0:
            return charge
    return None


def _tail_usage(chunks: list[Any]) -> tuple[Any, bool]:
    """The usage of the last chunk LiteLLM kept of a stream (or None), and whether any of its
    last few kept chunks carries the provider's count; one walk for both.

    Providers put their usage in the last frames (Anthropic also in the first), so only the
    last few kept chunks are looked at.
    """
    last: Any = _MISSING
    for chunk in chunks[-1 : -1 - _TAIL_CHUNKS : -1]:
        usage = _chunk_usage(chunk)
        if last is _MISSING:
            last = usage
        if usage is not None and (_input_tokens(usage) or _output_tokens(usage)):
            return last, True
    return (None if last is _MISSING else last), False


def stream_usage(state: StreamState, stream: object) -> tuple[Any, bool]:
    """The usage a stream's provider reported, wherever LiteLLM put it, or None; and whether
    it is LiteLLM's own count rather than the provider's.

    In order: in a Responses API snapshot; on the last chunk LiteLLM kept, when it carries a
    whole count (the provider's own, see `final_chunk_usage`); on a chunk the caller saw
    (`include_usage`); in the last chunk's hidden params (LiteLLM 1.106 totals it there
    without `include_usage`); merged from the chunks LiteLLM kept (1.79 leaves the hidden total
    without input tokens on Anthropic, whose input count is on the first chunk). Every real
    request has input tokens, so a usage without them is one of LiteLLM's empty defaults. A
    hidden total of zeros throughout, with no usage on the last kept chunk, is what LiteLLM
    (1.79 and 1.106) reports when none of the chunks it kept had usage: they are not walked
    then, as that walk costs ~0.6 µs per chunk.

    A usage found when no kept chunk carries the provider's count is LiteLLM's tokenizer's:
    1.79 drops the usage of OpenAI-compatible providers' final chunks (Mistral, Groq, azure_ai)
    and, asked for `include_usage`, hands the caller a usage chunk it counted itself. A stream
    without kept chunks to read cannot tell: its usage is taken as reported.
    """
    if state.response is not None:
        usage = field(state.response, "usage")
        return (usage if _input_tokens(usage) else None), False
    chunks = field(stream, "chunks")
    if isinstance(chunks, list):
        last, kept = _tail_usage(chunks)
    else:
        last, kept = None, True
    if _input_tokens(last):
        return last, False
    if _input_tokens(state.usage):
        return state.usage, not kept
    hidden = hidden_params(state.last_chunk).get("usage")
    if _input_tokens(hidden):
        return hidden, not kept
    if hidden is not None and not _output_tokens(hidden):
        return None, False
    if not kept and isinstance(chunks, list):
        chunks = chunks[:-_TAIL_CHUNKS]  # the tail was just read: none of it carries usage
    usage = merged_usage(chunks)
    return usage, usage is not None and not kept


@dataclass(frozen=True, slots=True)
class Attempt:
    """What the Router wrote into one attempt's arguments about it."""

    model_group: str | None  # None outside a Router (SDK-level fallbacks)
    deployment_id: str | None
    fallback_depth: int | None  # None when LiteLLM did not say (1.79)


def router_attempt(params: Mapping[str, Any]) -> Attempt:
    """The Router's view of one attempt, from the arguments it called `litellm.<op>` with.

    Every Router generation (1.79 … 1.110.2) writes `model_group` and `model_info` into the
    call's `metadata` (`litellm_metadata` for the generic endpoints such as `aresponses`) and,
    from a fallback hop on, passes `fallback_depth` (1.79 passes none). The Router mutates the
    metadata dict in place across retries, so it is read when the attempt starts.
    """
    metadata = params.get("metadata")
    if not isinstance(metadata, Mapping) or "model_group" not in metadata:
        metadata = params.get("litellm_metadata")
    model_info = params.get("model_info") or field(metadata, "model_info")
    return Attempt(
        model_group=text(field(metadata, "model_group")),
        deployment_id=text(field(model_info, "id")),
        fallback_depth=count(params.get("fallback_depth")),
    )


def traced_function(function: object) -> Any:
    """The function a Router up to 1.109 bound when it was built (`original_function`), or, when
    that is a LiteLLM function instrument() has wrapped since, the wrapped one now in its place
    (`litellm.<name>`): the same function, traced. Routers built before instrument() keep the
    unwrapped one (factory_function, read from 1.79.0 … 1.109.3)."""
    litellm = sys.modules.get("litellm")
    current = getattr(litellm, function_name(function), None) if litellm is not None else None
    return current if current is not None and getattr(current, "__wrapped__", None) is function else function


def function_name(function: object) -> str:
    """The `__name__` of the LiteLLM function a Router up to 1.109 hands its generic method as
    `original_function` (LiteLLM itself tells its endpoints apart by it, 1.106.12), or ""."""
    name = getattr(function, "__name__", None)  # a wrapt proxy of ours passes it through
    return name if isinstance(name, str) else ""


# The lists LiteLLM's callbacks are registered in (1.79 … 1.110.2).
_CALLBACK_LISTS: Final = ("callbacks", "success_callback", "failure_callback", "_async_success_callback")


# LiteLLM's OTel callback classes: `OpenTelemetry` (litellm.integrations.opentelemetry) and, from
# 1.110, `OpenTelemetryV2` (litellm.integrations.otel.logger, with Langfuse subclasses), the one
# `"otel"` builds under LITELLM_OTEL_V2.
_OTEL_CALLBACK_CLASSES: Final = frozenset(("OpenTelemetry", "OpenTelemetryV2"))


def _is_litellm_otel_callback(callback: object) -> bool:
    if isinstance(callback, str):
        return callback == "otel"
    return any(
        cls.__name__ in _OTEL_CALLBACK_CLASSES and cls.__module__.startswith("litellm.integrations")
        for cls in type(callback).__mro__
    )


def lists_with_otel_callback(litellm: ModuleType) -> list[str]:
    """The callback lists of `litellm` that hold LiteLLM's own OpenTelemetry callback."""
    return [
        name
        for name in _CALLBACK_LISTS
        if any(_is_litellm_otel_callback(cb) for cb in getattr(litellm, name, None) or ())
    ]
