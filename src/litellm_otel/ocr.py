"""OCR (`litellm.ocr` / `aocr`, the proxy's `/v1/ocr`): pure builders from its result to span
attributes.

The result is Mistral's OCR shape, which LiteLLM keeps for every OCR provider (`OCRResponse`,
1.79 … 1.110.2: `{"model", "pages": […], "usage_info": {"pages_processed", "doc_size_bytes"}}`).
OCR is billed per page. On 1.110 LiteLLM serves `ocr`/`aocr` in Rust, with no Python function
behind the public one: the span comes from the public function either way. Nothing here
touches OpenTelemetry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from litellm_otel import semconv as sc
from litellm_otel.extract import Attributes
from litellm_otel.readers import MAX_TEXT, count, fields

_REQUEST: Final[Attributes] = {sc.GEN_AI_OUTPUT_TYPE: sc.OUTPUT_TEXT}


KEPT_FROM_REQUEST: Final[frozenset[str]] = frozenset()  # the result's figures win


def request_attributes(params: Mapping[str, Any]) -> Attributes:
    return dict(_REQUEST)


def response_attributes(result: object) -> Attributes:
    """Response model and `litellm.usage.pages` (pages processed, else pages returned)."""
    read = fields(result)
    attributes: Attributes = {}
    model = read.get("model")
    if isinstance(model, str) and model:
        attributes[sc.GEN_AI_RESPONSE_MODEL] = model[:MAX_TEXT]
    pages = count(fields(read.get("usage_info")).get("pages_processed"))
    if pages is None:
        returned = read.get("pages")
        if isinstance(returned, Sequence) and not isinstance(returned, str | bytes):
            pages = len(returned)
    if pages is not None:
        attributes[sc.LITELLM_USAGE_PAGES] = pages
    return attributes


def output_text(result: object) -> str | None:
    """The pages' markdown, for content capture (opt-in only)."""
    pages = fields(result).get("pages")
    if not isinstance(pages, Sequence) or isinstance(pages, str | bytes):
        return None
    texts = [fields(page).get("markdown") for page in pages]
    joined = "\n\n".join(t for t in texts if isinstance(t, str) and t)
    return joined or None
