"""Google's Gemini API and Vertex AI's Gemini: ``POST …/models/{model}:generateContent`` and
``:streamGenerateContent?alt=sse``, one wire each (the same format, distinct numbers).

Read from ai.google.dev's API reference (GenerateContentResponse, UsageMetadata; 2026) and
Vertex AI's (the same body): a reply has ``responseId`` and ``modelVersion``; ``usageMetadata``
has ``promptTokenCount`` (including the ``cachedContentTokenCount`` read from the cache),
``candidatesTokenCount`` (the answer, excluding ``thoughtsTokenCount``) and ``totalTokenCount``
(prompt + candidates + thoughts). There is no cache-write count. Every stream chunk carries
``usageMetadata``, whether asked or not, the last one with the final counts and
``finishReason``. Checked against LiteLLM's ``VertexGeminiConfig._calculate_usage`` (1.79,
1.110): ``completion_tokens`` = candidates + thoughts when the total says candidates exclude
them (``is_candidate_token_count_inclusive``), the SPEC's output tokens. Vertex AI's wire also
answers ``POST /token`` as Google's STS token exchange, so LiteLLM's Vertex credentials work
offline.

Gemini's wire also answers the Interactions API, ``POST /v1beta/interactions`` (``?alt=sse``
with ``"stream": true``), as read from the google-genai SDK's generated types (Interaction,
Usage, the SSE events; API revision 2026-05-20, the one LiteLLM asks for): an interaction has
``id``, ``model`` (the one asked for), ``status``, ``steps`` (the user's input echoed, a
``thought``, the ``model_output``) and ``usage`` with the same arithmetic as ``usageMetadata``:
``total_input_tokens`` includes ``total_cached_tokens``, ``total_output_tokens`` excludes
``total_thought_tokens``, ``total_tokens`` is their sum. A stream sends ``interaction.created``,
``interaction.status_update``, ``step.start`` / ``step.delta`` / ``step.stop`` per step, then
``interaction.completed`` with the whole interaction but its steps, usage included.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from fake_provider.wire import RESPONSE_TEXT, STREAM_TEXT_PIECES, JSONObject, _split, _sse

from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.base import Endpoint
    from fake_provider.scenarios import _Scenario


_ACCESS_TOKEN: Final = "ya29.fake-vertex-access-token"


@dataclass(frozen=True)
class _Reply:
    response_id: str
    model_version: str
    prompt: int  # includes cached
    cached: int
    candidates: int  # excludes thoughts
    thoughts: int

    def usage(self, candidates: int) -> JSONObject:
        return {
            "promptTokenCount": self.prompt,
            "candidatesTokenCount": candidates,
            "totalTokenCount": self.prompt + candidates + self.thoughts,
            "cachedContentTokenCount": self.cached,
            "thoughtsTokenCount": self.thoughts,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": self.prompt}],
            "cacheTokensDetails": [{"modality": "TEXT", "tokenCount": self.cached}],
        }

    def truth(self) -> Truth:
        return Truth(
            input_tokens=self.prompt,
            output_tokens=self.candidates + self.thoughts,
            cache_read=self.cached,
            reasoning=self.thoughts,
            response_id=self.response_id,
            response_model=self.model_version,
        )

    def interaction_usage(self) -> JSONObject:
        return {
            "total_input_tokens": self.prompt,
            "input_tokens_by_modality": [{"modality": "text", "tokens": self.prompt}],
            "total_cached_tokens": self.cached,
            "cached_tokens_by_modality": [{"modality": "text", "tokens": self.cached}],
            "total_output_tokens": self.candidates,
            "output_tokens_by_modality": [{"modality": "text", "tokens": self.candidates}],
            "total_thought_tokens": self.thoughts,
            "total_tokens": self.prompt + self.candidates + self.thoughts,
        }


INTERACTION_ID: Final = "v1_ChdmYWtlLWludGVyYWN0aW9uLWdlbWluaQ"
_CREATED: Final = "2026-01-01T00:00:00Z"
_THOUGHT_SIGNATURE: Final = "RmFrZVRob3VnaHRTaWduYXR1cmU="


def _interaction(reply: _Reply, body: JSONObject, status: str) -> JSONObject:
    """The interaction resource, without its steps."""
    return {
        "id": INTERACTION_ID,
        "object": "interaction",
        "model": body.get("model"),
        "status": status,
        "created": _CREATED,
        "updated": _CREATED,
        **({"usage": reply.interaction_usage()} if status == "completed" else {}),
    }


def _serve_interaction(endpoint: Endpoint, reply: _Reply, body: JSONObject, stream: bool) -> None:
    if not stream:
        given = body.get("input")
        user_content = [{"type": "text", "text": given}] if isinstance(given, str) else given
        endpoint._send_json(
            200,
            {
                **_interaction(reply, body, "completed"),
                "steps": [
                    {"type": "user_input", "content": user_content},
                    {"type": "thought", "signature": _THOUGHT_SIGNATURE},
                    {"type": "model_output", "content": [{"type": "text", "text": RESPONSE_TEXT}]},
                ],
            },
        )
        return

    def events() -> Iterable[bytes]:
        yield _sse(
            {"event_type": "interaction.created", "interaction": _interaction(reply, body, "in_progress")}
        )
        yield _sse(
            {
                "event_type": "interaction.status_update",
                "interaction_id": INTERACTION_ID,
                "status": "in_progress",
            }
        )
        yield _sse(
            {
                "event_type": "step.start",
                "index": 0,
                "step": {"type": "thought", "signature": _THOUGHT_SIGNATURE},
            }
        )
        yield _sse({"event_type": "step.stop", "index": 0})
        yield _sse({"event_type": "step.start", "index": 1, "step": {"type": "model_output", "content": []}})
        for piece in _split(RESPONSE_TEXT, STREAM_TEXT_PIECES):
            yield _sse({"event_type": "step.delta", "index": 1, "delta": {"type": "text", "text": piece}})
        yield _sse({"event_type": "step.stop", "index": 1})
        yield _sse(
            {"event_type": "interaction.completed", "interaction": _interaction(reply, body, "completed")}
        )

    endpoint._stream(events())


def _candidate(text: str, finished: bool) -> JSONObject:
    candidate: JSONObject = {"content": {"role": "model", "parts": [{"text": text}]}, "index": 0}
    if finished:
        candidate["finishReason"] = "STOP"
    return candidate


def _serve(reply: _Reply, *, oauth: bool) -> Callable[[Endpoint, str, JSONObject, _Scenario], None]:
    def serve(endpoint: Endpoint, path: str, body: JSONObject, sc: _Scenario) -> None:
        if oauth and path == "/token":
            # Google's STS token exchange, for a workload-identity credential whose `token_url`
            # points here: how LiteLLM gets a Vertex AI access token offline.
            endpoint._send_json(
                200,
                {
                    "access_token": _ACCESS_TOKEN,
                    "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
                    "token_type": "Bearer",
                    "expires_in": 3599,
                },
            )
            return
        if not oauth and path == "/v1beta/interactions":
            _serve_interaction(endpoint, reply, body, sc.stream)
            return
        _, _, operation = path.rpartition(":")
        if "/models/" not in path or operation not in ("generateContent", "streamGenerateContent"):
            endpoint._send_error(404, f"Unknown Gemini path {path}", anthropic=False)
            return
        if operation == "generateContent":
            endpoint._send_json(
                200,
                {
                    "candidates": [_candidate(RESPONSE_TEXT, finished=True)],
                    "usageMetadata": reply.usage(reply.candidates),
                    "modelVersion": reply.model_version,
                    "responseId": reply.response_id,
                },
            )
            return

        def events() -> Iterable[bytes]:
            pieces = _split(RESPONSE_TEXT, STREAM_TEXT_PIECES)
            for index, piece in enumerate(pieces):
                last = index == len(pieces) - 1
                # The answer's count grows chunk by chunk; the last chunk has the whole of it.
                candidates = reply.candidates if last else index + 1
                yield _sse(
                    {
                        "candidates": [_candidate(piece, finished=last)],
                        "usageMetadata": reply.usage(candidates),
                        "modelVersion": reply.model_version,
                        "responseId": reply.response_id,
                    }
                )

        endpoint._stream(events())

    return serve


_GEMINI: Final = _Reply("kq0uaeXQJ4-nz7IPgemini", "gemini-2.5-flash-preview-09-2025", 2210, 1792, 64, 152)
_VERTEX: Final = _Reply("Zt4uafr2N7-vertexAIx9Q", "gemini-2.5-pro-preview-06-05", 1650, 1024, 88, 205)

# What an interaction with Gemini reports (the same counts as its generateContent; the model is
# the one asked for, without LiteLLM's `gemini/` prefix).
INTERACTIONS_TRUTH: Final = dataclasses.replace(
    _GEMINI.truth(), response_id=INTERACTION_ID, response_model=None
)

GEMINI: Final = Wire(
    name="gemini",
    serve=_serve(_GEMINI, oauth=False),
    truth=_GEMINI.truth(),
    stream_truth=_GEMINI.truth(),
    streams_usage_unasked=True,
)
VERTEX: Final = Wire(
    name="vertex_ai",
    serve=_serve(_VERTEX, oauth=True),
    truth=_VERTEX.truth(),
    stream_truth=_VERTEX.truth(),
    streams_usage_unasked=True,
)
