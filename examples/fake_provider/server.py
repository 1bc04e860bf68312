"""The server: routes by path, answers a scenario's error or slowness, and the `FakeProvider`
that runs it on a background thread."""

from __future__ import annotations

import contextlib
import itertools
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any

from .anthropic import AnthropicRoutes
from .audio import AudioRoutes
from .base import RecordedRequest
from .decisions import DecisionRoutes
from .images import ImageRoutes
from .moderation import ModerationRoutes
from .openai import OpenAIRoutes
from .rerank import RerankRoutes
from .scenarios import _Scenario, _scenario
from .videos import VideoRoutes
from .wire import SLOW_SECONDS, JSONObject
from .wires import WIRES
from .wires.truth import Serve

_VIDEOS = "/v1/videos/"
_DERIVED_VIDEOS = ("/v1/videos/edits", "/v1/videos/extensions")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog is 5: a test opening hundreds of connections at once (the
    # hardening tests) has the kernel drop their SYNs, and each retries after 1, 3, 7 … s; on a
    # loaded machine those waits added up to minutes.
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], provider: FakeProvider) -> None:
        self.provider = provider
        super().__init__(address, _Handler)

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        # Clients dropping idle keep-alive connections (or streams) is normal, not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(
    OpenAIRoutes,
    AnthropicRoutes,
    RerankRoutes,
    AudioRoutes,
    ImageRoutes,
    ModerationRoutes,
    VideoRoutes,
    DecisionRoutes,
):
    # -- connection tracking so stop() can close idle keep-alive connections
    def setup(self) -> None:
        super().setup()
        self._provider._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self._provider._track(self.connection, add=False)

    def log_message(self, format: str, *args: object) -> None:
        if self._provider.log_requests:
            sys.stderr.write(f"[fake-provider] {self.address_string()} {format % args}\n")

    def do_GET(self) -> None:
        self._record({})
        path = self.path.split("?", 1)[0].rstrip("/")
        if path.startswith(_VIDEOS):
            self._video_get(path.removeprefix(_VIDEOS))
            return
        self._send_error(404, f"Unknown path {self.path}", anthropic=False)

    def do_POST(self) -> None:
        body = self._parse_body(self._read_body())
        headers = self._record(body)

        path = self.path.split("?", 1)[0].rstrip("/")
        prefix, _, rest = path[1:].partition("/")
        wire = WIRES.get(prefix)
        route = self._routes().get(path) if wire is None else self._wire_route(wire.serve, "/" + rest)
        if route is None:
            self._send_error(404, f"Unknown path {self.path}", anthropic=False)
            return
        sc = _scenario(self._with_source_model(body) if path in _DERIVED_VIDEOS else body, headers)
        if sc.slow:
            time.sleep(SLOW_SECONDS)
        if sc.flaky and self._provider.flaky_failure(sc.model, sc.flaky):
            self._send_error(
                429,
                f"Simulated rate limit for model {sc.model}",
                anthropic=path == "/v1/messages",
                retryable=True,
            )
            return
        if sc.error_status is not None:
            message = f"Simulated error for model {sc.model}"
            if sc.error_status == 401:
                # OpenAI's real wording; LiteLLM maps a 401 whose body says "invalid_request_error"
                # to BadRequestError unless the message contains this phrase.
                message = f"Incorrect API key provided: sk-****. {message}"
            self._send_error(sc.error_status, message, anthropic=path == "/v1/messages")
            return
        try:
            route(body, sc)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _wire_route(self, serve: Serve, path: str) -> Callable[[JSONObject, _Scenario], None]:
        return lambda body, sc: serve(self, path, body, sc)

    def _routes(self) -> dict[str, Callable[[JSONObject, _Scenario], None]]:
        return {
            "/v1/chat/completions": self._chat,
            "/v1/completions": self._completions,
            "/v1/embeddings": self._embeddings,
            "/v1/responses": self._responses,
            "/v1/responses/compact": self._responses_compact,
            "/v1/decisions": self._decisions,
            "/v1/messages": self._messages,
            "/v1/images/generations": self._images,
            "/v1/images/edits": self._image_edits,
            "/v1/images/variations": self._image_variations,
            "/v1/audio/transcriptions": self._transcriptions,
            "/v1/audio/speech": self._speech,
            "/v1/moderations": self._moderations,
            "/v1/videos": self._videos,
            "/v1/videos/edits": self._video_edits,
            "/v1/videos/extensions": self._video_extensions,
            "/v1/rerank": self._rerank,
            "/v2/rerank": self._rerank,
        }


# --------------------------------------------------------------------------- provider


class FakeProvider:
    """A fake OpenAI/Anthropic-compatible server on a background daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self.requests: list[RecordedRequest] = []
        self.log_requests = False  # print one line per request to stderr (the __main__ demo sets it)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._flaky: dict[str, int] = {}
        self._connections: set[socket.socket] = set()
        self._videos: dict[str, JSONObject] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FakeProvider:
        if self._server is not None:
            return self
        server = _Server((self._host, self._port), self)
        self._server = server
        self._port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-provider", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # unblock handler threads idling on keep-alive connections
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` -- the api_base for LiteLLM's ``anthropic/`` provider."""
        return f"http://{self._host}:{self._port}"

    def base_for(self, wire: str) -> str:
        """``base_url + "/<wire>"`` -- where the provider wire format ``wire`` (see ``wires``) is served."""
        if wire not in WIRES:
            raise KeyError(f"no fake wire format named {wire!r}; known: {sorted(WIRES)}")
        return f"{self.base_url}/{wire}"

    @property
    def openai_base(self) -> str:
        """``base_url + "/v1"`` -- the api_base for ``openai/`` and ``text-completion-openai/``."""
        return self.base_url + "/v1"

    def reset(self) -> None:
        """Forget all recorded requests (and how often each flaky model has failed, and the videos
        made)."""
        with self._lock:
            self.requests.clear()
            self._flaky.clear()
            self._videos.clear()

    def flaky_failure(self, model: str, times: int) -> bool:
        """Whether this request for a `flaky-<times>` model is one of its first `times`: those fail."""
        with self._lock:
            failed = self._flaky.get(model, 0)
            if failed >= times:
                return False
            self._flaky[model] = failed + 1
            return True

    # -- internal, used by the handler
    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next_id(self) -> int:
        with self._lock:
            return next(self._ids)

    def _store_video(self, video: JSONObject) -> None:
        with self._lock:
            self._videos[str(video["id"])] = video

    def _stored_video(self, video_id: str) -> JSONObject | None:
        with self._lock:
            return self._videos.get(video_id)

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)


def main(argv: list[str]) -> int:
    """Serve on the port given as ``argv[1]`` (default 0 = any free port) until Ctrl-C / SIGTERM."""
    port = int(argv[1]) if len(argv) > 1 else 0
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    provider = FakeProvider(port=port)
    provider.log_requests = True
    with provider:
        print(provider.base_url, flush=True)
        while not stop.wait(0.5):
            pass
    return 0
