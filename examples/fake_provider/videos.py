"""OpenAI's videos API: ``POST /v1/videos`` starts a video (JSON, or ``multipart/form-data`` with
an ``input_reference`` image), ``GET /v1/videos/{id}`` retrieves it, ``GET
/v1/videos/{id}/content`` downloads it.

Read from OpenAI's API reference (videos; 2026): the video object has ``id``, ``object``
("video"), ``model``, ``status``, ``progress``, ``created_at``, ``completed_at``,
``expires_at``, ``error``, ``prompt``, ``remixed_from_video_id``, ``seconds`` and ``size``
(both strings). Creating answers it ``queued``; here every later retrieval finds it
``completed``, so a poll ends at once.
"""

from __future__ import annotations

import time
from typing import Final

from .base import Endpoint
from .scenarios import _Scenario
from .wire import VIDEO_CONTENT_BYTES, VIDEO_SECONDS, VIDEO_SIZE, JSONObject

_EXPIRES_AFTER: Final = 24 * 3600
_MP4_HEADER: Final = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"


def video_content() -> bytes:
    """The MP4 body ``GET /v1/videos/{id}/content`` answers, ``VIDEO_CONTENT_BYTES`` long."""
    filler = bytes((i * 53 + 7) % 256 for i in range(VIDEO_CONTENT_BYTES - len(_MP4_HEADER)))
    return _MP4_HEADER + filler


class VideoRoutes(Endpoint):
    # -- POST /v1/videos
    def _videos(self, body: JSONObject, sc: _Scenario) -> None:
        prompt, seconds, size = body.get("prompt"), body.get("seconds"), body.get("size")
        video: JSONObject = {
            "id": f"video_fake_{self._provider._next_id()}",
            "object": "video",
            "model": sc.response_model,
            "status": "queued",
            "progress": 0,
            "created_at": int(time.time()),
            "completed_at": None,
            "expires_at": None,
            "error": None,
            "prompt": prompt if isinstance(prompt, str) else None,
            "remixed_from_video_id": None,
            "seconds": str(seconds) if isinstance(seconds, (str, int)) else VIDEO_SECONDS,
            "size": size if isinstance(size, str) else VIDEO_SIZE,
        }
        self._provider._store_video(video)
        self._send_json(200, video)

    # -- GET /v1/videos/{id} and /v1/videos/{id}/content
    def _video_get(self, rest: str) -> None:
        video_id, _, part = rest.partition("/")
        video = self._provider._stored_video(video_id)
        if video is None or part not in ("", "content"):
            self._send_error(404, f"Video with id '{video_id}' not found.", anthropic=False)
            return
        if part == "content":
            self._send_bytes(video_content(), "video/mp4")
            return
        created = video["created_at"]
        completed = created + 1 if isinstance(created, int) else int(time.time())
        self._send_json(
            200,
            {
                **video,
                "status": "completed",
                "progress": 100,
                "completed_at": completed,
                "expires_at": completed + _EXPIRES_AFTER,
            },
        )
