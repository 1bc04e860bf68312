"""Mistral's chat API (``POST /v1/chat/completions``), the OpenAI shape with Mistral's usage, and
its OCR API (``POST /v1/ocr``).

Read from docs.mistral.ai's chat completion reference (2026): ``usage`` has prompt, completion
and total tokens only (no cache or reasoning details), and a stream's last chunk carries
``usage`` whether or not the caller asked for it (Mistral has no ``stream_options``).

OCR, from docs.mistral.ai's OCR reference (2026): a JSON ``document`` in; out, one page object
per page read (``index``, ``markdown``, ``images`` with their bounding boxes, ``tables``,
``hyperlinks``, ``header``, ``footer``, ``dimensions``), the dated ``model``,
``document_annotation`` and ``usage_info`` (``pages_processed``, ``doc_size_bytes``): Mistral
bills OCR per page. The pages read are the request's ``pages`` (indices), else the whole
document: ``OCR_PAGES`` pages here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from fake_provider.wire import IMAGE_PNG_B64, RESPONSE_TEXT, STREAM_TEXT_PIECES, JSONObject, _split, _sse

from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.base import Endpoint
    from fake_provider.scenarios import _Scenario

_ID = "cmpl-mistral-5e1f0a"
_MODEL = "mistral-small-2503"  # what Mistral answers for mistral-small-latest
_USAGE: JSONObject = {"prompt_tokens": 731, "completion_tokens": 53, "total_tokens": 784}
TRUTH = Truth(input_tokens=731, output_tokens=53, response_id=_ID, response_model=_MODEL)

OCR_MODEL: Final = "mistral-ocr-2512"  # what Mistral answers for mistral-ocr-latest
OCR_PAGES: Final = 3  # the pages of the (whole) fake document
OCR_DOC_SIZE_BYTES: Final = 184_526
OCR_DIMENSIONS: Final[JSONObject] = {"dpi": 200, "height": 2200, "width": 1700}


def ocr_markdown(index: int) -> str:
    """Page ``index``'s markdown: its first page shows the document's one image."""
    image = "\n\n![img-0.jpeg](img-0.jpeg)" if index == 0 else ""
    return f"# Page {index + 1}\n\n{RESPONSE_TEXT}.{image}"


def _ocr_page(index: int, with_base64: bool) -> JSONObject:
    images: list[object] = []
    if index == 0:
        images.append(
            {
                "id": "img-0.jpeg",
                "top_left_x": 413,
                "top_left_y": 600,
                "bottom_right_x": 1286,
                "bottom_right_y": 893,
                "image_base64": f"data:image/jpeg;base64,{IMAGE_PNG_B64}" if with_base64 else None,
                "image_annotation": None,
            }
        )
    return {
        "index": index,
        "markdown": ocr_markdown(index),
        "images": images,
        "tables": [],
        "hyperlinks": [],
        "header": None,
        "footer": None,
        "dimensions": dict(OCR_DIMENSIONS),
    }


def _ocr(endpoint: Endpoint, body: JSONObject) -> None:
    requested = body.get("pages")
    indices = (
        [i for i in requested if isinstance(i, int) and 0 <= i < OCR_PAGES]
        if isinstance(requested, list)
        else list(range(OCR_PAGES))
    )
    with_base64 = body.get("include_image_base64") is True
    endpoint._send_json(
        200,
        {
            "pages": [_ocr_page(i, with_base64) for i in indices],
            "model": OCR_MODEL,
            "document_annotation": None,
            "usage_info": {"pages_processed": len(indices), "doc_size_bytes": OCR_DOC_SIZE_BYTES},
        },
    )


def serve(endpoint: Endpoint, path: str, body: JSONObject, sc: _Scenario) -> None:
    if path == "/v1/ocr":
        _ocr(endpoint, body)
        return
    if path != "/v1/chat/completions":
        endpoint._send_error(404, f"Unknown Mistral path {path}", anthropic=False)
        return
    created = int(time.time())
    if not sc.stream:
        endpoint._send_json(
            200,
            {
                "id": _ID,
                "object": "chat.completion",
                "created": created,
                "model": _MODEL,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": RESPONSE_TEXT, "tool_calls": None},
                        "finish_reason": "stop",
                    }
                ],
                "usage": _USAGE,
            },
        )
        return

    def events() -> Iterable[bytes]:
        pieces = _split(RESPONSE_TEXT, STREAM_TEXT_PIECES)
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            chunk: JSONObject = {
                "id": _ID,
                "object": "chat.completion.chunk",
                "created": created,
                "model": _MODEL,
                "choices": [
                    {
                        "index": 0,
                        "delta": {"role": "assistant", "content": piece}
                        if index == 0
                        else {"content": piece},
                        "finish_reason": "stop" if last else None,
                    }
                ],
            }
            if last:
                chunk["usage"] = _USAGE  # on the finishing chunk, asked or not
            yield _sse(chunk)
        yield b"data: [DONE]\n\n"

    endpoint._stream(events())


WIRE = Wire(name="mistral", serve=serve, truth=TRUTH, stream_truth=TRUTH, streams_usage_unasked=True)
