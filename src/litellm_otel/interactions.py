"""Google's Interactions API (`litellm.interactions.create` / `acreate`, LiteLLM 1.90 on): pure
builders from its arguments, result and stream events to span attributes.

The operation: an interaction with a `model` is one model turn over a conversation (its input,
the server-side history of `previous_interaction_id`), what the GenAI conventions call `chat`
(OpenAI's Responses API, as stateful, is `chat` too); `generate_content` is the name of Gemini's
other, stateless API. An interaction with an `agent` (Deep Research, a managed agent) runs that
agent: `invoke_agent`, with `gen_ai.agent.name`.

LiteLLM hands back an `InteractionsAPIResponse` (1.90.7 … 1.110.2): `id`, `model`, `status`,
`steps` (`outputs` in the API revision before 2026-05-20) and `usage` as on the wire, a plain
dict: `total_input_tokens` includes `total_cached_tokens`; `total_output_tokens` excludes
`total_thought_tokens` (LiteLLM's own generated type also knows `total_reasoning_tokens`), which
the output count includes here as on every chat span; `total_tool_use_tokens` is prompt too, as
generateContent's `toolUsePromptTokenCount` (LiteLLM's `InteractionsUsageObjectTransformation`,
1.106 on, counts the same). With `stream=True` it yields one `InteractionsAPIStreamingResponse`
per server-sent event. Nothing here touches OpenTelemetry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from litellm_otel import google_genai
from litellm_otel import semconv as sc
from litellm_otel.extract import Attributes
from litellm_otel.readers import count, field, fields, number, text
from litellm_otel.stream_state import ChunkClock

# The interaction lifecycle events whose `interaction` carries the resource (id, model, status,
# and on the last one the usage): the 2026-05-20 revision's names, then the earlier revision's.
_LIFECYCLE_EVENTS: Final = frozenset(
    ("interaction.created", "interaction.completed", "interaction.start", "interaction.complete")
)
_TEXT_DELTAS: Final = frozenset(("step.delta", "content.delta"))


def agent_name(params: Mapping[str, Any]) -> str | None:
    """The agent an interaction runs, when it names one and no model (LiteLLM routes an
    interaction whose `model` is also its `agent` as the agent's, 1.90 … 1.110.2)."""
    agent = text(params.get("agent"))
    model = params.get("model")
    return agent if agent is not None and (model is None or model == params.get("agent")) else None


KEPT_FROM_REQUEST: Final[frozenset[str]] = frozenset()  # the result's figures win


def request_attributes(params: Mapping[str, Any]) -> Attributes:
    """`generation_config`'s sampling parameters (the Interactions API spells them in
    snake_case), and the agent an agent interaction runs."""
    attributes: Attributes = {}
    agent = agent_name(params)
    if agent is not None:
        attributes[sc.GEN_AI_AGENT_NAME] = agent
        # No model to route by: LiteLLM sends an agent's interaction to `custom_llm_provider`,
        # else to Gemini (1.90.7 … 1.110.2).
        provider = text(params.get("custom_llm_provider")) or "gemini"
        attributes[sc.GEN_AI_PROVIDER_NAME] = sc.PROVIDER_NAMES.get(provider, provider)
    config = params.get("generation_config")
    if not isinstance(config, Mapping):
        return attributes
    for name, key in (("temperature", sc.GEN_AI_REQUEST_TEMPERATURE), ("top_p", sc.GEN_AI_REQUEST_TOP_P)):
        value = number(config.get(name))
        if value is not None:
            attributes[key] = value
    max_tokens = count(config.get("max_output_tokens"))
    if max_tokens is not None:
        attributes[sc.GEN_AI_REQUEST_MAX_TOKENS] = max_tokens
    seed = count(config.get("seed"))
    if seed is not None:
        attributes[sc.GEN_AI_REQUEST_SEED] = seed
    stop = config.get("stop_sequences")
    if isinstance(stop, Sequence) and stop and all(isinstance(s, str) for s in stop):
        attributes[sc.GEN_AI_REQUEST_STOP_SEQUENCES] = list(stop)
    return attributes


def usage_attributes(usage: object) -> Attributes:
    """`gen_ai.usage.*` from an interaction's `usage`: Gemini's counts, as generateContent's."""
    read = fields(usage)
    thoughts = count(read.get("total_thought_tokens"))
    return google_genai.token_attributes(
        prompt=count(read.get("total_input_tokens")),
        tool_prompt=count(read.get("total_tool_use_tokens")),
        cached=count(read.get("total_cached_tokens")),
        candidates=count(read.get("total_output_tokens")),
        thoughts=count(read.get("total_reasoning_tokens")) if thoughts is None else thoughts,
        total=count(read.get("total_tokens")),
    )


def response_attributes(result: object) -> Attributes:
    """Id, model, status and usage of an interaction (a response, or a stream event's
    `interaction`)."""
    read = fields(result)
    attributes: Attributes = {}
    interaction_id = text(read.get("id"))
    if interaction_id is not None:
        attributes[sc.GEN_AI_RESPONSE_ID] = interaction_id
    model = text(read.get("model"))
    if model is not None:
        attributes[sc.GEN_AI_RESPONSE_MODEL] = model
    status = text(read.get("status"))
    if status is not None:
        attributes[sc.LITELLM_INTERACTION_STATUS] = status
    attributes.update(usage_attributes(read.get("usage")))
    return attributes


def output_text(result: object) -> str | None:
    """The text the model produced (its `model_output` steps, or the earlier revision's
    `outputs`), for content capture (opt-in only)."""
    read = fields(result)
    texts: list[str] = []
    steps = read.get("steps")
    if isinstance(steps, Sequence) and not isinstance(steps, str | bytes):
        for step in steps:
            if field(step, "type") == "model_output":
                texts.extend(_texts(field(step, "content")))
    if not texts:
        texts.extend(_texts(read.get("outputs")))
    return "".join(texts) or None


def _texts(contents: object) -> list[str]:
    if not isinstance(contents, Sequence) or isinstance(contents, str | bytes):
        return []
    found = (field(item, "text") for item in contents if field(item, "type") == "text")
    return [t for t in found if isinstance(t, str)]


class InteractionsStream(ChunkClock):
    """What a streamed interaction delivered so far: LiteLLM's events (pydantic objects, or
    dicts). The lifecycle events carry the interaction (its id and model from the first, its
    status and usage on the last); `interaction.status_update` and `step.stop` may carry the
    usage so far, the latest of which is kept; text arrives in `step.delta` events."""

    __slots__ = ("interaction", "texts", "usage")

    def __init__(self, *, capture_content: bool = False) -> None:
        self.chunk_count = 0
        self.first_chunk_at = None
        self.last_chunk_at = None
        self.interaction: dict[str, object] = {}  # the resource's fields, latest event last
        self.usage: object = None
        self.texts: list[str] | None = [] if capture_content else None

    def add(self, chunk: Any) -> None:
        ChunkClock.add(self, chunk)
        event = fields(chunk)
        kind = event.get("event_type")
        usage = event.get("usage")
        if kind in _LIFECYCLE_EVENTS:
            resource = fields(event.get("interaction"))
            for name in ("id", "model", "status"):
                value = resource.get(name)
                if value is not None:
                    self.interaction[name] = value
            usage = resource.get("usage") or usage
        elif kind == "interaction.status_update":
            status = event.get("status")
            if status is not None:
                self.interaction["status"] = getattr(status, "value", status)
        if usage is not None:
            self.usage = usage
        if self.texts is not None and kind in _TEXT_DELTAS:
            delta = event.get("delta")
            piece = field(delta, "text") if field(delta, "type") == "text" else None
            if isinstance(piece, str):
                self.texts.append(piece)

    def attributes(self) -> Attributes:
        """Id, model, status and usage of what the stream delivered."""
        return response_attributes({**self.interaction, "usage": self.usage})

    def output_text(self) -> str | None:
        return "".join(self.texts) if self.texts else None
