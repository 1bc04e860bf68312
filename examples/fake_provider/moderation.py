"""OpenAI's moderations API (``POST /v1/moderations``).

Read from OpenAI's API reference (moderations; 2026): one result per input string, a list of
text and image parts being a single input; each result has ``flagged``, a boolean and a score
per category (the omni-moderation set, with ``illicit``) and, per category, the input types it
was applied to (images only for self-harm, sexual and violence). Without ``model`` OpenAI uses
omni-moderation-latest.
"""

from __future__ import annotations

from typing import Final

from .base import Endpoint
from .scenarios import _Scenario
from .wire import MODEL_SUFFIX, MODERATION_FLAGGED_WORD, MODERATION_VIOLENCE_SCORE, JSONObject

_DEFAULT_MODEL: Final = "omni-moderation-latest"
_CATEGORIES: Final = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)
_IMAGE_CATEGORIES: Final = frozenset(
    ("self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "violence", "violence/graphic")
)


def _inputs(raw: object) -> list[tuple[str, bool]]:
    """Each input as (its text, whether it has an image)."""
    if isinstance(raw, str):
        return [(raw, False)]
    if not isinstance(raw, list):
        return [("", False)]
    if all(isinstance(item, str) for item in raw):
        return [(item, False) for item in raw] or [("", False)]
    parts = [part for part in raw if isinstance(part, dict)]
    text = " ".join(str(part.get("text", "")) for part in parts if part.get("type") == "text")
    return [(text, any(part.get("type") == "image_url" for part in parts))]


def _result(text: str, has_image: bool) -> JSONObject:
    flagged = MODERATION_FLAGGED_WORD in text.lower()
    scores = {name: round(0.000011 * (index + 2), 6) for index, name in enumerate(_CATEGORIES)}
    if flagged:
        scores["violence"] = MODERATION_VIOLENCE_SCORE
    applied: dict[str, list[str]] = {}
    for name in _CATEGORIES:
        types = ["text"] if text else []
        if has_image and name in _IMAGE_CATEGORIES:
            types.append("image")
        applied[name] = types
    return {
        "flagged": flagged,
        "categories": {name: flagged and name == "violence" for name in _CATEGORIES},
        "category_scores": scores,
        "category_applied_input_types": applied,
    }


class ModerationRoutes(Endpoint):
    # -- /v1/moderations
    def _moderations(self, body: JSONObject, sc: _Scenario) -> None:
        moderation_id = f"modr-fake-{self._provider._next_id()}"
        model = sc.response_model if isinstance(body.get("model"), str) else _DEFAULT_MODEL + MODEL_SUFFIX
        results: list[object] = [_result(text, image) for text, image in _inputs(body.get("input"))]
        self._send_json(200, {"id": moderation_id, "model": model, "results": results})
