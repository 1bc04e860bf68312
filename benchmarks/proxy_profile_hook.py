"""Runs a console script (the LiteLLM proxy's `litellm`) with cProfile switched by signals.

    python proxy_profile_hook.py OUT.prof /venv/bin/litellm --config ...

SIGUSR1 starts profiling, SIGUSR2 stops it and writes OUT.prof (pstats). benchmarks/proxy.py
sends both around its load, so that the proxy's start-up is left out. Python runs signal handlers
in the main thread, and cProfile profiles the thread that enables it: with one worker that is the
proxy's event loop, where requests are served; threads (the SDK's batch export, LiteLLM's logging
executor) are not seen, as py-spy would see them.
"""

from __future__ import annotations

import cProfile
import runpy
import signal
import sys
from types import FrameType

_profile = cProfile.Profile()
_out = sys.argv[1]


def _start(signum: int, frame: FrameType | None) -> None:
    _profile.enable()


def _stop(signum: int, frame: FrameType | None) -> None:
    _profile.disable()
    _profile.dump_stats(_out)


signal.signal(signal.SIGUSR1, _start)
signal.signal(signal.SIGUSR2, _stop)
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
