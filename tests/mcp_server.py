"""A real MCP server for the tests (the `mcp` SDK 2's MCPServer over streamable HTTP, on
127.0.0.1 in a background thread): a tool that answers and one that fails."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import uvicorn
from mcp.server.mcpserver import MCPServer

WEATHER = "Sunny in {city}"


def get_weather(city: str) -> str:
    """The weather in a city."""
    return WEATHER.format(city=city)


def broken(city: str) -> str:
    """A tool whose service is down."""
    raise ValueError("the weather service is down")


@contextlib.contextmanager
def serve_mcp() -> Iterator[str]:
    """Runs the server until the block ends; yields its URL (`http://127.0.0.1:PORT/mcp`)."""
    server = MCPServer("fake-tools")
    server.tool()(get_weather)
    server.tool()(broken)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    runner = uvicorn.Server(uvicorn.Config(server.streamable_http_app(), log_level="warning"))
    thread = threading.Thread(target=runner.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not runner.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        runner.should_exit = True
        thread.join(timeout=10)
        listener.close()
