"""Attribute builders: pure functions from LiteLLM call arguments and results to span attributes.

Nothing here touches OpenTelemetry or LiteLLM: a mapping or a LiteLLM-shaped object in, a dict
of attributes out. Values are read through `readers`, so odd input (None, dicts instead of
objects, wrong types, negative numbers) leaves the attribute out; nothing raises for bad data.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl, urlsplit

from litellm_otel import semconv as sc
from litellm_otel.readers import MAX_INT, MAX_TEXT, count, field, fields, number, text

if TYPE_CHECKING:
    from litellm_otel.stream_state import StreamState

AttributeValue = str | bool | int | float | Sequence[str] | Sequence[int] | Sequence[float]
Attributes = dict[str, AttributeValue]

_DEFAULT_PORTS: Final = {"https": 443, "http": 80}


def provider_name(litellm_provider: str) -> str:
    """LiteLLM's provider name as the well-known `gen_ai.provider.name` value."""
    known = sc.PROVIDER_NAMES.get(litellm_provider)
    if known is not None:
        return known
    if litellm_provider.startswith("vertex_ai"):
        return "gcp.vertex_ai"
    return litellm_provider


def server_attributes(api_base: object) -> Attributes:
    """`server.address` (host alone: no credentials, path or query) and `server.port`."""
    if not isinstance(api_base, str) or not api_base:
        return {}
    host, port = _server(api_base)
    if not host:
        return {}
    attributes: Attributes = {sc.SERVER_ADDRESS: host}
    if port:
        attributes[sc.SERVER_PORT] = port
    return attributes


@functools.lru_cache(maxsize=256)
def _server(api_base: str) -> tuple[str | None, int | None]:
    # A service talks to a handful of endpoints: each is parsed once.
    try:
        parts = urlsplit(api_base)
        return parts.hostname, parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # malformed port or netloc
        return None, None


def http_request_attributes(request: object) -> Attributes:
    """`http.request.method`, `server.*` and `url.full` of an outgoing HTTP request (an httpx
    `Request`): the URL without credentials or query string, where keys can travel."""
    attributes: Attributes = {}
    method = field(request, "method")
    if isinstance(method, str) and method:
        attributes[sc.HTTP_REQUEST_METHOD] = method[:MAX_TEXT]
    url = str(field(request, "url") or "")
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return attributes
    if host:
        attributes.update(server_attributes(url))
        netloc = f"[{host}]" if ":" in host else host
        attributes[sc.URL_FULL] = f"{parts.scheme}://{netloc}{f':{port}' if port else ''}{parts.path}"
    return attributes


def _stop_sequences(stop: object) -> list[str] | None:
    if isinstance(stop, str):
        return [stop]
    if isinstance(stop, Sequence) and stop and all(isinstance(s, str) for s in stop):
        return list(stop)
    return None


def _output_type(response_format: object) -> str | None:
    if response_format is None:
        return None
    if isinstance(response_format, type):  # a pydantic model class: structured JSON output
        return "json"
    kind = field(response_format, "type")
    if kind == "text":
        return "text"
    if kind in ("json_object", "json_schema"):
        return "json"
    return None


_FLOAT_PARAMS: Final = (
    ("temperature", sc.GEN_AI_REQUEST_TEMPERATURE),
    ("top_p", sc.GEN_AI_REQUEST_TOP_P),
    ("top_k", sc.GEN_AI_REQUEST_TOP_K),
    ("frequency_penalty", sc.GEN_AI_REQUEST_FREQUENCY_PENALTY),
    ("presence_penalty", sc.GEN_AI_REQUEST_PRESENCE_PENALTY),
)


# Every request parameter `request_attributes` reads but `model` and `stream`: most calls pass
# none of them (model, messages, stream), so one set test over the call's few arguments skips
# the dozen reads (and lets `Lookups.request_attributes` copy a template instead).
OPTIONAL_PARAMS: Final = frozenset(
    (
        *(key for key, _ in _FLOAT_PARAMS),
        "max_tokens",
        "max_completion_tokens",
        "max_output_tokens",
        "stop",
        "stop_sequences",
        "seed",
        "n",
        "response_format",
        "encoding_format",
        "dimensions",
    )
)


def request_attributes(operation: str, params: Mapping[str, Any]) -> Attributes:
    """The request parameters present in a call's arguments (SPEC §2, set at span start).

    Provider and server attributes are not here: they need LiteLLM's lookups, see `_litellm.lookups`.
    """
    attributes: Attributes = {sc.GEN_AI_OPERATION_NAME: operation}
    model = text(params.get("model"))
    if model is not None:
        attributes[sc.GEN_AI_REQUEST_MODEL] = model
    if params.get("stream") is True:
        attributes[sc.GEN_AI_REQUEST_STREAM] = True
    if not OPTIONAL_PARAMS.isdisjoint(params):
        _optional_request_attributes(operation, params, attributes)
    return attributes


def _optional_request_attributes(operation: str, params: Mapping[str, Any], attributes: Attributes) -> None:
    for key, name in _FLOAT_PARAMS:
        value = number(params.get(key))
        if value is not None:
            attributes[name] = value
    max_tokens = count(params.get("max_tokens"))
    if max_tokens is None:
        max_tokens = count(params.get("max_completion_tokens"))
    if max_tokens is None:
        max_tokens = count(params.get("max_output_tokens"))  # Responses API spelling
    if max_tokens is not None:
        attributes[sc.GEN_AI_REQUEST_MAX_TOKENS] = max_tokens
    stop = _stop_sequences(params.get("stop"))
    if stop is None:
        stop = _stop_sequences(params.get("stop_sequences"))  # the Anthropic Messages API's spelling
    if stop is not None:
        attributes[sc.GEN_AI_REQUEST_STOP_SEQUENCES] = stop
    seed = count(params.get("seed"))
    if seed is not None:
        attributes[sc.GEN_AI_REQUEST_SEED] = seed
    choices = count(params.get("n"))
    if choices is not None and choices != 1:
        attributes[sc.GEN_AI_REQUEST_CHOICE_COUNT] = choices
    output_type = _output_type(params.get("response_format"))
    if output_type is not None:
        attributes[sc.GEN_AI_OUTPUT_TYPE] = output_type
    if operation == sc.OP_EMBEDDINGS:
        encoding = text(params.get("encoding_format"))
        if encoding is not None:
            attributes[sc.GEN_AI_REQUEST_ENCODING_FORMATS] = [encoding]
        dimensions = count(params.get("dimensions"))
        if dimensions is not None:
            attributes[sc.GEN_AI_EMBEDDINGS_DIMENSION_COUNT] = dimensions


# A usage's three counts: its chat spelling, its Responses API spelling, the attribute.
_COUNTS: Final = (
    ("prompt_tokens", "input_tokens", sc.GEN_AI_USAGE_INPUT_TOKENS),
    ("completion_tokens", "output_tokens", sc.GEN_AI_USAGE_OUTPUT_TOKENS),
    ("total_tokens", None, sc.GEN_AI_USAGE_TOTAL_TOKENS),
)
_COUNTS_WITHOUT_OUTPUT: Final = (_COUNTS[0], _COUNTS[2])


def usage_attributes(usage: object, *, with_output: bool = True) -> Attributes:
    """Token counts from a LiteLLM `Usage` (chat, text, embeddings), a Responses API usage, or
    a dict of either shape.

    LiteLLM's normalised `Usage` already counts cache reads and cache writes in `prompt_tokens`
    for every provider it normalises (Anthropic's raw `input_tokens` excludes them; LiteLLM adds
    them back), so `input_tokens` is read as is. Cache and reasoning counts are emitted only when
    the provider reported them: a reported 0 is kept, an absent field stays absent.
    """
    if usage is None:
        return {}
    get = fields(usage).get
    attributes: Attributes = {}
    for name, spelling, key in _COUNTS if with_output else _COUNTS_WITHOUT_OUTPUT:
        value = get(name)
        # A plain int in range is taken as is (every count of every call): count() is for the rest.
        if type(value) is not int or not 0 <= value <= MAX_INT:
            value = count(value) if value is not None else None
            if value is None and spelling is not None:
                value = count(get(spelling))
        if value is not None:
            attributes[key] = value

    # A field LiteLLM left at None costs a lookup, not a call: most usages carry no details.
    cache_read = cache_write = None
    input_details = get("prompt_tokens_details") or get("input_tokens_details")
    if input_details is not None:
        details = fields(input_details)
        cache_read = count(details.get("cached_tokens"))
        cache_write = count(details.get("cache_write_tokens"))
        if cache_write is None:
            cache_write = count(details.get("cache_creation_tokens"))
    if cache_read is None:
        value = get("cache_read_input_tokens")
        if value is None:  # LiteLLM's DecisionsUsage (systemone, 1.106+) spells them this way
            value = get("cached_tokens")
        cache_read = count(value) if value is not None else None
    if cache_read is not None:
        attributes[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = cache_read
    if cache_write is None:
        value = get("cache_creation_input_tokens")
        if value is None:
            value = get("cache_write_tokens")
        cache_write = count(value) if value is not None else None
    if cache_write is not None:
        attributes[sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] = cache_write
    if with_output:
        output_details = get("completion_tokens_details") or get("output_tokens_details")
        if output_details is not None:
            reasoning = count(field(output_details, "reasoning_tokens"))
            if reasoning is not None:
                attributes[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = reasoning
    return attributes


def finish_reasons(response: object) -> list[str]:
    """Every choice's finish reason; for a Responses API result, its status as a reason."""
    return _finish_reasons(fields(response))


def _finish_reasons(read: Mapping[str, Any] | Any) -> list[str]:
    choices = read.get("choices")
    # LiteLLM's results hold a list: checked first, before the (costlier) ABC check.
    if type(choices) is list or (isinstance(choices, Sequence) and not isinstance(choices, str)):
        reasons = []
        for choice in choices:  # a loop, not a comprehension: one call fewer per response
            # A LiteLLM `Choices` holds its reason in its __dict__: read there, not by field().
            data = getattr(choice, "__dict__", None)
            if type(data) is dict and "finish_reason" in data:
                reason = data["finish_reason"]
            else:
                reason = field(choice, "finish_reason")
            if isinstance(reason, str) and reason:  # text(), inline: once per choice
                reasons.append(reason[:MAX_TEXT])
        return reasons
    status = text(read.get("status"))
    if status is None:
        return []
    if status == "incomplete":
        reason = text(field(read.get("incomplete_details"), "reason"))
        return [reason or status]
    return ["stop" if status == "completed" else status]


def _rerank_usage(response: object) -> object:
    # Rerank responses carry tokens under meta.tokens (Cohere's shape, kept by LiteLLM).
    return field(field(response, "meta"), "tokens")


def _identity_attributes(response: object) -> Attributes:
    """`gen_ai.response.id` and `gen_ai.response.model` of a result or of a stream's chunk."""
    return identity(fields(response))


def identity(read: Mapping[str, Any] | Any) -> Attributes:
    attributes: Attributes = {}
    # text(), inline: these two are read on every result and every stream.
    response_id = read.get("id")
    if isinstance(response_id, str) and response_id:
        attributes[sc.GEN_AI_RESPONSE_ID] = response_id[:MAX_TEXT]
    model = read.get("model")
    if isinstance(model, str) and model:
        attributes[sc.GEN_AI_RESPONSE_MODEL] = model[:MAX_TEXT]
    return attributes


def response_attributes(operation: str, response: object) -> Attributes:
    """Response id, model, finish reasons and usage from a non-streaming LiteLLM result."""
    read = fields(response)  # the response's fields at once: they are read several times
    attributes = identity(read)
    reasons = _finish_reasons(read)
    if reasons:
        attributes[sc.GEN_AI_RESPONSE_FINISH_REASONS] = reasons
    usage = _rerank_usage(response) if operation == sc.OP_RERANK else read.get("usage")
    # Embeddings produce no output tokens; LiteLLM fills completion_tokens=0 there, which would
    # be a made-up zero.
    attributes.update(usage_attributes(usage, with_output=operation != sc.OP_EMBEDDINGS))
    return attributes


def stream_attributes(operation: str, state: StreamState, usage: object) -> Attributes:
    """Response id, model, finish reasons and usage of what a stream delivered."""
    if state.response is not None:
        return response_attributes(operation, state.response)
    attributes = _identity_attributes(state.last_chunk)
    if state.finish_reasons:
        attributes[sc.GEN_AI_RESPONSE_FINISH_REASONS] = [
            reason for _, reason in sorted(state.finish_reasons.items()) if isinstance(reason, str)
        ]
    if usage is not None:
        attributes.update(usage_attributes(usage))
    return attributes


def use_latest_names(attributes: Attributes) -> None:
    """Renames, in place, what the latest experimental GenAI conventions spell differently:
    the cache-write count (semantic-conventions-genai #440). They replace the released names
    rather than accompany them, as `gen_ai_latest_experimental` asks."""
    written = attributes.pop(sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, None)
    if written is not None:
        attributes[sc.GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS] = written


def error_attributes(exc: BaseException) -> Attributes:
    """`error.type` (fully qualified class name) and `http.response.status_code`."""
    cls = type(exc)
    module = cls.__module__
    name = cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"
    attributes: Attributes = {sc.ERROR_TYPE: name}
    status = count(field(exc, "status_code"))
    if status is not None and 100 <= status <= 599:
        attributes[sc.HTTP_RESPONSE_STATUS_CODE] = status
    return attributes


def metadata_attributes(metadata: object, keys: Sequence[str]) -> Attributes:
    """`litellm.metadata.<key>` for the allow-listed keys of a call's `metadata` that hold a
    scalar; nothing else of the metadata is ever read."""
    if not isinstance(metadata, Mapping):
        return {}
    attributes: Attributes = {}
    for key in keys:
        value = metadata.get(key)
        if isinstance(value, str):
            attributes[sc.LITELLM_METADATA_PREFIX + key] = value[:MAX_TEXT]
        elif isinstance(value, bool | int | float) and (
            not isinstance(value, int) or -MAX_INT <= value <= MAX_INT
        ):
            attributes[sc.LITELLM_METADATA_PREFIX + key] = value
    return attributes


def secrets(params: Mapping[str, Any]) -> tuple[str, ...]:
    """Strings of a call that must never reach telemetry: keys and `api_base` credentials."""
    found: list[str] = []
    for key in ("api_key", "azure_ad_token", "aws_secret_access_key", "aws_session_token"):
        value = params.get(key)
        if isinstance(value, str) and len(value) >= 4:
            found.append(value)
    api_base = params.get("api_base")
    if isinstance(api_base, str):
        try:
            parts = urlsplit(api_base)
            found.extend(v for v in (parts.username, parts.password) if v and len(v) >= 4)
            found.extend(v for _, v in parse_qsl(parts.query) if len(v) >= 4)
        except ValueError:
            pass
    return tuple(found)


def redact(message: str, secret_values: Sequence[str]) -> str:
    """`message` with every secret value replaced."""
    for secret in secret_values:
        if secret in message:
            message = message.replace(secret, "[REDACTED]")
    return message
