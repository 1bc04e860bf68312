"""OpenAI's videos API: ``POST /v1/videos`` starts a video (JSON, or ``multipart/form-data`` with
an ``input_reference`` image), ``GET /v1/videos/{id}`` retrieves it, ``GET
/v1/videos/{id}/content`` downloads it.

Read from OpenAI's API reference (videos; 2026): the video object has ``id``, ``object``
("video"), ``model``, ``status``, ``progress``, ``created_at``, ``completed_at``,
``expires_at``, ``error``, ``prompt``, ``remixed_from_video_id``, ``seconds`` and ``size``
(both strings). Creating answers it ``queued``; here every later retrieval finds it
``completed``, so a poll ends at once.

``POST /v1/videos/edits`` and ``POST /v1/videos/extensions`` (the same reference, and the OpenAI
SDK's ``videos.edit`` / ``videos.extend``) start a new video from a completed one: ``prompt`` and
``video`` (``{"id": ...}`` in JSON, a ``video[id]`` form field, or an uploaded file for an edit),
plus ``seconds`` for an extension (the extension's own length; the answer's ``seconds`` is the
stitched total). The new video runs on the source's model, so the source's model selects the
scenario; a ``model`` in the body (``extra_body``) overrides it, as neither API takes one. An
unknown source is a 404. An uploaded video is taken as a ``VIDEO_SECONDS`` sora-2 video.
"""

from __future__ import annotations

import time
from typing import Final

from .base import Endpoint
from .scenarios import _Scenario
from .wire import MODEL_SUFFIX, VIDEO_CONTENT_BYTES, VIDEO_SECONDS, VIDEO_SIZE, JSONObject

_EXPIRES_AFTER: Final = 24 * 3600
# What an uploaded source video is taken to be.
_UPLOADED: Final[JSONObject] = {
    "model": "sora-2" + MODEL_SUFFIX,
    "seconds": VIDEO_SECONDS,
    "size": VIDEO_SIZE,
}
_MP4_HEADER: Final = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"


def video_content() -> bytes:
    """The MP4 body ``GET /v1/videos/{id}/content`` answers, ``VIDEO_CONTENT_BYTES`` long."""
    filler = bytes((i * 53 + 7) % 256 for i in range(VIDEO_CONTENT_BYTES - len(_MP4_HEADER)))
    return _MP4_HEADER + filler


def video_source_id(body: JSONObject) -> str | None:
    """The id of the video an edit or extension starts from: ``video.id`` in a JSON body, the
    ``video[id]`` field of a form; ``None`` when the video was uploaded instead."""
    reference = body.get("video")
    found = reference.get("id") if isinstance(reference, dict) else body.get("video[id]")
    return found if isinstance(found, str) else None


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

    # -- POST /v1/videos/edits
    def _video_edits(self, body: JSONObject, sc: _Scenario) -> None:
        self._derived_video(body, sc, extra_seconds=None)

    # -- POST /v1/videos/extensions
    def _video_extensions(self, body: JSONObject, sc: _Scenario) -> None:
        seconds = body.get("seconds")
        self._derived_video(body, sc, extra_seconds=str(seconds) if isinstance(seconds, (str, int)) else None)

    def _with_source_model(self, body: JSONObject) -> JSONObject:
        """``body`` naming the model an edit or extension runs on, for its scenario: the source
        video's, unless the body names one."""
        if isinstance(body.get("model"), str):
            return body
        source_id = video_source_id(body)
        source = _UPLOADED if source_id is None else self._provider._stored_video(source_id)
        model = None if source is None else source["model"]
        return {**body, "model": model.removesuffix(MODEL_SUFFIX)} if isinstance(model, str) else body

    def _derived_video(self, body: JSONObject, sc: _Scenario, *, extra_seconds: str | None) -> None:
        source_id = video_source_id(body)
        source = _UPLOADED if source_id is None else self._provider._stored_video(source_id)
        if source is None:
            self._send_error(404, f"Video with id '{source_id}' not found.", anthropic=False)
            return
        seconds = str(source["seconds"])
        if extra_seconds is not None and seconds.isdigit() and extra_seconds.isdigit():
            seconds = str(int(seconds) + int(extra_seconds))
        prompt = body.get("prompt")
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
            "seconds": seconds,
            "size": source["size"],
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
