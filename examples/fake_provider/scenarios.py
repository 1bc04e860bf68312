"""How a request selects its response: the scenario markers in the model name, the ``tokens-<N>``
override, and the error shapes of each status."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .wire import MODEL_SUFFIX, TOKENS_HEADER, JSONObject, _first_tool_name, _get_dict

_TOKENS_USER_RE: Final = re.compile(r"tokens-(\d+)")
_FLAKY_RE: Final = re.compile(r"flaky-(\d+)")
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
    flaky: int  # the first this many requests for this model answer a retryable 429
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


def _ends_with_tool_result(body: JSONObject) -> bool:
    """Whether the conversation's last message is a tool result (chat, Anthropic or Responses form)."""
    messages = body.get("messages", body.get("input"))
    if not isinstance(messages, list) or not messages or not isinstance(messages[-1], dict):
        return False
    last: JSONObject = messages[-1]
    if last.get("role") == "tool" or last.get("type") == "function_call_output":
        return True
    parts = last.get("content")
    return isinstance(parts, list) and any(
        isinstance(part, dict) and part.get("type") == "tool_result" for part in parts
    )


def _tool_to_call(body: JSONObject, model: str) -> str | None:
    """The tool a reply calls, as a real model would: the one `tool_choice` names (chat's
    {"type": "function", "function": {"name": ...}}, Anthropic's {"type": "tool", "name": ...},
    Responses' {"type": "function", "name": ...}); none under `tool_choice` "none"; none under
    ``tool-once`` when the conversation ends with a tool result (an agent loop's last turn);
    else the first tool offered."""
    choice = body.get("tool_choice")
    if choice == "none" or (isinstance(choice, dict) and choice.get("type") == "none"):
        return None
    if isinstance(choice, dict):
        named = _get_dict(choice, "function").get("name") or choice.get("name")
        if isinstance(named, str):
            return named
    if "tool-once" in model and _ends_with_tool_result(body):
        return None
    return _first_tool_name(body.get("tools"))


def _scenario(body: JSONObject, headers: dict[str, str]) -> _Scenario:
    raw_model = body.get("model")
    model = raw_model if isinstance(raw_model, str) else "unknown"
    raw_n = body.get("n")
    if isinstance(raw_n, str) and raw_n.isdigit():  # a form field (image edits) is text
        raw_n = int(raw_n)
    error_status = next((s for s in _ERROR_STATUSES if f"error-{s}" in model), None)
    return _Scenario(
        model=model,
        response_model=model + MODEL_SUFFIX,
        stream=body.get("stream") is True,
        include_usage=_get_dict(body, "stream_options").get("include_usage") is True,
        error_status=error_status,
        midstream_error="midstream-error" in model,
        error_event="error-event" in model,
        flaky=int(flaky.group(1)) if (flaky := _FLAKY_RE.search(model)) else 0,
        slow="slow" in model,
        no_usage="no-usage" in model,
        zero_cache="zero-cache" in model,
        token_override=_token_override(body, headers),
        tool_name=_tool_to_call(body, model),
        n=raw_n if isinstance(raw_n, int) and not isinstance(raw_n, bool) and raw_n > 0 else 1,
    )
