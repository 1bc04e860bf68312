"""Video generation (`litellm.video_generation` / `avideo_generation`, the proxy's `/v1/videos`):
pure builders from its arguments and result to span attributes.

The call creates a video job and returns OpenAI's video object (`VideoObject`, 1.79 … 1.110.2:
`{"id", "model", "status", "seconds", "size", …}`); the video itself is fetched later
(`video_content`). Video is billed per second of output: `seconds`, which OpenAI spells as a
string ("8"). Nothing here touches OpenTelemetry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from litellm_otel import semconv as sc
from litellm_otel.extract import Attributes, identity
from litellm_otel.readers import fields, number, text

_REQUEST: Final[Attributes] = {sc.GEN_AI_OUTPUT_TYPE: sc.OUTPUT_VIDEO}


# An extension's result says the stitched video's whole length (OpenAI: 8 s extended by 4 s
# answers "12"); what the call generates and is billed for is the `seconds` it asked for. So the
# request's figure, when it gave one, is the span's.
KEPT_FROM_REQUEST: Final = frozenset((sc.LITELLM_USAGE_VIDEO_SECONDS,))


def request_attributes(params: Mapping[str, Any]) -> Attributes:
    """The output type, and the seconds of video asked for, when the call says."""
    attributes = dict(_REQUEST)
    seconds = _seconds(params.get("seconds"))
    if seconds is not None:
        attributes[sc.LITELLM_USAGE_VIDEO_SECONDS] = seconds
    return attributes


def _seconds(value: object) -> float | None:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    seconds = number(value)
    return seconds if seconds is not None and seconds >= 0 else None


def response_attributes(result: object) -> Attributes:
    """The job's id, model and status, and the video's seconds (kept from the request where it
    named them: KEPT_FROM_REQUEST)."""
    read = fields(result)
    attributes = identity(read)
    status = text(read.get("status"))
    if status is not None:
        attributes[sc.LITELLM_VIDEO_STATUS] = status
    seconds = _seconds(read.get("seconds"))
    if seconds is not None:
        attributes[sc.LITELLM_USAGE_VIDEO_SECONDS] = seconds
    return attributes


def output_text(result: object) -> str | None:
    return None
