"""Text to speech (`litellm.speech` / `aspeech`, the proxy's `/v1/audio/speech`): pure builders
from its arguments and result to span attributes.

The result is the provider's audio, as binary content LiteLLM wraps (`HttpxBinaryResponseContent`,
1.79 … 1.110.2): no id, model or usage in it. What the call is billed by is in its arguments: the
characters of `input` (tts-1, the price map's `input_cost_per_character`). The text itself is
content and is never recorded here; only its length. Nothing here touches OpenTelemetry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from litellm_otel import semconv as sc
from litellm_otel.extract import Attributes
from litellm_otel.readers import count, field, fields

_REQUEST: Final[Attributes] = {sc.GEN_AI_OUTPUT_TYPE: sc.OUTPUT_SPEECH}


KEPT_FROM_REQUEST: Final[frozenset[str]] = frozenset()  # the result's figures win


def request_attributes(params: Mapping[str, Any]) -> Attributes:
    """The output type, and the billed characters of the text to speak (whitespace excluded)."""
    attributes = dict(_REQUEST)
    spoken = params.get("input")
    if isinstance(spoken, str):
        attributes[sc.LITELLM_USAGE_INPUT_CHARACTERS] = len(spoken) - sum(map(str.isspace, spoken))
    return attributes


def response_attributes(result: object) -> Attributes:
    """Token counts, where the provider reported them (gpt-4o-mini-tts: LiteLLM 1.110 keeps a
    `usage` on the binary result); bytes carry nothing else to read."""
    usage = field(result, "usage") if not isinstance(result, bytes | bytearray | str) else None
    if usage is None:
        return {}
    read = fields(usage)
    attributes: Attributes = {}
    for names, key in (
        (("input_tokens", "prompt_tokens"), sc.GEN_AI_USAGE_INPUT_TOKENS),
        (("output_tokens", "completion_tokens"), sc.GEN_AI_USAGE_OUTPUT_TOKENS),
        (("total_tokens",), sc.GEN_AI_USAGE_TOTAL_TOKENS),
    ):
        for name in names:
            value = count(read.get(name))
            if value is not None:
                attributes[key] = value
                break
    return attributes


def output_text(result: object) -> str | None:
    return None  # audio: nothing to capture as text
