"""Starts a Phoenix server whose gRPC OTLP receiver listens on loopback only.

Phoenix (20.26.1) binds its HTTP server to PHOENIX_HOST, but its gRPC receiver to every interface
(`add_insecure_port("[::]:<PHOENIX_GRPC_PORT>")` in phoenix/server/grpc_server.py), and has no
setting for that address. Nothing here may listen beyond 127.0.0.1, so before Phoenix starts, the
servers gRPC creates get their wildcard address replaced with 127.0.0.1. The tests export over
OTLP/HTTP; gRPC stays up, on loopback, because Phoenix has no switch to turn it off short of
read-only mode.

Usage: ``python tests/backends/serve.py`` with PHOENIX_HOST, PHOENIX_PORT, PHOENIX_GRPC_PORT and
PHOENIX_WORKING_DIR set.
"""

from __future__ import annotations

import sys
from typing import Any

import grpc.aio

_create_server = grpc.aio.server


def _loopback_server(*args: Any, **kwargs: Any) -> Any:
    server = _create_server(*args, **kwargs)
    add_insecure_port = server.add_insecure_port

    def loopback_port(address: str) -> int:
        return int(add_insecure_port(address.replace("[::]", "127.0.0.1")))

    server.add_insecure_port = loopback_port
    return server


def main() -> None:
    grpc.aio.server = _loopback_server
    from phoenix.server.main import main as phoenix_main

    sys.argv = ["phoenix", "serve"]
    phoenix_main()


if __name__ == "__main__":
    main()
