"""How a request selects its response: the scenario markers in the model name, the ``tokens-<N>``
override, and the error shapes of each status."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .wire import MODEL_SUFFIX, TOKENS_HEADER, JSONObject, _first_tool_name, _get_dict

_TOKENS_USER_RE: Final = re.compile(r"tokens-(\d+)")
_ERROR_STATUSES: Final = (429, 500, 401, 400)

_ERROR_KINDS: Final[dict[int, tuple[str, str, str]]] = {
    # status: (openai type, openai code, anthropic type)
    400: ("invalid_request_error", "invalid_request", "invalid_request_error"),
    401: ("invalid_request_error", "invalid_api_key", "authentication_error"),
    429: ("rate_limit_error", "rate_limit_exceeded", "rate_limit_error"),
    500: ("server_error", "server_error", "api_error"),
}


@dataclass(frozen=True)
class _Scenario:
    """Everything about the request that selects the response shape."""

    model: str
    response_model: str
    stream: bool
    include_usage: bool
    error_status: int | None
    midstream_error: bool
    error_event: bool
    slow: bool
    no_usage: bool
    zero_cache: bool
    token_override: int | None
    tool_name: str | None
    n: int


def _token_override(body: JSONObject, headers: dict[str, str]) -> int | None:
    """N from a ``tokens-<N>`` marker in user / safety_identifier / metadata.user_id / header."""
    candidates: tuple[object, ...] = (
        body.get("user"),
        body.get("safety_identifier"),
        _get_dict(body, "metadata").get("user_id"),
        headers.get(TOKENS_HEADER),
    )
    for candidate in candidates:
        if isinstance(candidate, str):
            match = _TOKENS_USER_RE.fullmatch(candidate.strip())
            if match:
                return int(match.group(1))
    return None


def _scenario(body: JSONObject, headers: dict[str, str]) -> _Scenario:
    raw_model = body.get("model")
    model = raw_model if isinstance(raw_model, str) else "unknown"
    raw_n = body.get("n")
    error_status = next((s for s in _ERROR_STATUSES if f"error-{s}" in model), None)
    return _Scenario(
        model=model,
        response_model=model + MODEL_SUFFIX,
        stream=body.get("stream") is True,
        include_usage=_get_dict(body, "stream_options").get("include_usage") is True,
        error_status=error_status,
        midstream_error="midstream-error" in model,
        error_event="error-event" in model,
        slow="slow" in model,
        no_usage="no-usage" in model,
        zero_cache="zero-cache" in model,
        token_override=_token_override(body, headers),
        tool_name=_first_tool_name(body.get("tools")),
        n=raw_n if isinstance(raw_n, int) and not isinstance(raw_n, bool) and raw_n > 0 else 1,
    )
