"""A progress bar on the terminal for long commands (jobs run from the CLI, synth, rebuilds).

Drawn on stderr, so stdout stays the command's answer; redrawn at most every 0.2 s; shown on a
terminal (or when asked for, e.g. `-v 2`), silent in pipes and tests.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_REDRAW_SECONDS = 0.2
_WIDTH = 30


class TerminalBar:
    def __init__(self, stream: TextIO | None = None, *, force: bool = False):
        self.stream = stream or sys.stderr
        self.shown = force or self.stream.isatty()
        self._drawn_at = 0.0
        self._open = False

    def __call__(self, done: int, total: int, stage: str = "") -> None:
        if not self.shown:
            return
        now = time.monotonic()
        finished = total and done >= total
        if now - self._drawn_at < _REDRAW_SECONDS and not finished:
            return
        self._drawn_at = now
        if total:
            filled = _WIDTH * min(done, total) // total
            bar = f"[{'#' * filled}{'.' * (_WIDTH - filled)}] {done}/{total} {done * 100 // total:3d}%"
        else:
            bar = f"[{'.' * _WIDTH}] {done}"
        self.stream.write(f"\r{stage[:16]:<8} {bar}\033[K")
        self.stream.flush()
        self._open = True

    def close(self) -> None:
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False
