"""A progress bar on the terminal for long commands (jobs run from the CLI, synth, rebuilds).

Drawn on stderr, so stdout stays the command's answer. On a terminal (or when asked for, e.g.
`-v 2`) it is redrawn in place at most every 0.2 s; elsewhere (pipes, logs) it writes one line per
stage once that stage is done. Each line says how long the command has run.
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
        self.live = force or self.stream.isatty()
        self.started = time.monotonic()
        self._drawn_at = 0.0
        self._open = False
        self._finished: tuple[str, int] | None = None

    def __call__(self, done: int, total: int, stage: str = "") -> None:
        now = time.monotonic()
        if total and done >= total:
            if self._finished == (stage, total):
                return  # told twice that the stage is done
            self._finished = (stage, total)
            self._line(done, total, stage, now)
            self.close()
            return
        if self.live and now - self._drawn_at >= _REDRAW_SECONDS:
            self._line(done, total, stage, now)

    def _line(self, done: int, total: int, stage: str, now: float) -> None:
        self._drawn_at = now
        if total:
            filled = _WIDTH * min(done, total) // total
            bar = f"[{'#' * filled}{'.' * (_WIDTH - filled)}] {done}/{total}"
        else:
            bar = f"[{'.' * _WIDTH}] {done}"
        text = f"{stage[:16]:<10} {bar}  {now - self.started:6.1f} s"
        self.stream.write(f"\r{text}\033[K" if self.live else text + "\n")
        self.stream.flush()
        self._open = self.live

    def close(self) -> None:
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False
