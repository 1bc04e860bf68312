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
"""

from __future__ import annotations

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
