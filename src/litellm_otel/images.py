"""Image edits and variations (`litellm.image_edit` / `aimage_edit`, `image_variation` /
`aimage_variation`, the proxy's `/v1/images/edits`): pure builders from a result to span
attributes.

The result is an `ImageResponse`. gpt-image models report usage in the Images API's spelling
(`input_tokens` with its text/image split, `output_tokens`); LiteLLM (1.110.2) keeps those as
extra fields of a chat `Usage` whose `prompt_tokens`/`completion_tokens` it sets to 0, and fills
in zeros for models that report none (dall-e-2): the Images spelling is read first, and a usage
of nothing but zeros is LiteLLM's, not the provider's, and left out. Nothing here touches
OpenTelemetry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from litellm_otel import semconv as sc
from litellm_otel.extract import Attributes
from litellm_otel.readers import count, fields

_REQUEST: Final[Attributes] = {sc.GEN_AI_OUTPUT_TYPE: sc.OUTPUT_IMAGE}


KEPT_FROM_REQUEST: Final[frozenset[str]] = frozenset()  # the result's figures win


def request_attributes(params: Mapping[str, Any]) -> Attributes:
    return dict(_REQUEST)


def response_attributes(result: object) -> Attributes:
    """Input tokens (text and image split out), output and total tokens of an image result."""
    usage = fields(fields(result).get("usage"))
    attributes: Attributes = {}
    for images_name, chat_name, key in (
        ("input_tokens", "prompt_tokens", sc.GEN_AI_USAGE_INPUT_TOKENS),
        ("output_tokens", "completion_tokens", sc.GEN_AI_USAGE_OUTPUT_TOKENS),
        ("total_tokens", "total_tokens", sc.GEN_AI_USAGE_TOTAL_TOKENS),
    ):
        value = count(usage.get(images_name))
        if value is None:
            value = count(usage.get(chat_name))
        if value is not None:
            attributes[key] = value
    if not any(attributes.values()):
        return {}  # zeros LiteLLM filled in for a model that reports no usage
    details = fields(usage.get("input_tokens_details"))
    for name, key in (
        ("text_tokens", sc.LITELLM_USAGE_TEXT_INPUT_TOKENS),
        ("image_tokens", sc.LITELLM_USAGE_IMAGE_INPUT_TOKENS),
    ):
        value = count(details.get(name))
        if value is not None:
            attributes[key] = value
    return attributes


def output_text(result: object) -> str | None:
    return None  # images: nothing to capture as text
