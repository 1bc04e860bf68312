"""OpenAI's images APIs: generations (JSON), edits and variations (``multipart/form-data``).

Edits and variations read from OpenAI's API reference (images; 2026): a gpt-image-* model always
answers base64 images, names the ``background``, ``output_format``, ``quality`` and ``size`` it
used, and reports ``usage`` (input tokens split into the prompt's text tokens and the input
images' tokens, output tokens per image made); dall-e-2 answers URLs unless asked for
``b64_json``, without usage. (OpenAI makes variations with dall-e-2 only; the fake answers a
gpt-image-* model there too, as it would an edit without a prompt.)
"""

from __future__ import annotations

import time

from .base import Endpoint
from .scenarios import _Scenario
from .wire import (
    IMAGE_EDIT_IMAGE_TOKENS,
    IMAGE_EDIT_OUTPUT_TOKENS,
    IMAGE_EDIT_TEXT_TOKENS,
    IMAGE_INPUT_TOKENS,
    IMAGE_OUTPUT_TOKENS,
    IMAGE_PNG_B64,
    IMAGE_URL,
    JSONObject,
)


def _files(body: JSONObject, *names: str) -> int:
    """How many files the form uploaded under any of ``names``."""
    count = 0
    for name in names:
        value = body.get(name)
        count += len(value) if isinstance(value, list) else int(isinstance(value, dict))
    return count


def _setting(body: JSONObject, name: str, default: str) -> str:
    value = body.get(name)
    return value if isinstance(value, str) and value != "auto" else default


class ImageRoutes(Endpoint):
    # -- /v1/images/generations
    def _images(self, body: JSONObject, sc: _Scenario) -> None:
        self._provider._next_id()
        prompt = body.get("prompt")
        b64 = body.get("response_format") == "b64_json"
        image: JSONObject = {"b64_json": IMAGE_PNG_B64} if b64 else {"url": IMAGE_URL}
        image["revised_prompt"] = prompt if isinstance(prompt, str) else None
        self._send_json(
            200,
            {
                "created": int(time.time()),
                "data": [dict(image) for _ in range(sc.n)],
                "usage": {
                    "input_tokens": IMAGE_INPUT_TOKENS,
                    "input_tokens_details": {"text_tokens": IMAGE_INPUT_TOKENS, "image_tokens": 0},
                    "output_tokens": IMAGE_OUTPUT_TOKENS,
                    "total_tokens": IMAGE_INPUT_TOKENS + IMAGE_OUTPUT_TOKENS,
                },
            },
        )

    # -- /v1/images/edits
    def _image_edits(self, body: JSONObject, sc: _Scenario) -> None:
        text_tokens = IMAGE_EDIT_TEXT_TOKENS if isinstance(body.get("prompt"), str) else 0
        self._edited_images(body, sc, text_tokens, _files(body, "image[]", "image"))

    # -- /v1/images/variations
    def _image_variations(self, body: JSONObject, sc: _Scenario) -> None:
        self._edited_images(body, sc, 0, _files(body, "image"))

    def _edited_images(self, body: JSONObject, sc: _Scenario, text_tokens: int, images_in: int) -> None:
        self._provider._next_id()
        created = int(time.time())
        if not sc.model.startswith("gpt-image"):
            b64 = body.get("response_format") == "b64_json"
            image: JSONObject = {"b64_json": IMAGE_PNG_B64} if b64 else {"url": IMAGE_URL}
            self._send_json(200, {"created": created, "data": [dict(image) for _ in range(sc.n)]})
            return
        input_tokens = text_tokens + IMAGE_EDIT_IMAGE_TOKENS * images_in
        output_tokens = IMAGE_EDIT_OUTPUT_TOKENS * sc.n
        self._send_json(
            200,
            {
                "created": created,
                "background": _setting(body, "background", "opaque"),
                "data": [{"b64_json": IMAGE_PNG_B64} for _ in range(sc.n)],
                "output_format": _setting(body, "output_format", "png"),
                "quality": _setting(body, "quality", "medium"),
                "size": _setting(body, "size", "1024x1024"),
                "usage": {
                    "input_tokens": input_tokens,
                    "input_tokens_details": {
                        "text_tokens": text_tokens,
                        "image_tokens": IMAGE_EDIT_IMAGE_TOKENS * images_in,
                    },
                    "output_tokens": output_tokens,
                    "total_tokens": input_tokens + output_tokens,
                },
            },
        )
