"""What a job can be: apps above register their kinds here (this app imports none of them).

A kind's function gets a `JobContext` and returns a `JobOutcome`; it writes its result to
`context.output` (a temporary file the runner puts in place once the function returns), and
reports how far it got with `context.progress(...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from huitoukan.jobs.services import JobContext


@dataclass(frozen=True)
class JobOutcome:
    """What a job made: a file (its download name and type), or only a summary (`filename` empty)."""

    filename: str = ""  # what the download is called
    content_type: str = ""
    rows: int | None = None
    summary: str = ""  # shown on the job's page, e.g. what a rebuild counted


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable[[JobContext], JobOutcome]
    # Whether the requester may still read the result (checked again at every view and download: a
    # role revoked since the job ran takes the file away too). None: the requester always may.
    readable: Callable[[object, dict], bool] | None = None


_KINDS: dict[str, JobKind] = {}


def job_kind(name: str, *, readable: Callable[[object, dict], bool] | None = None):
    """Register the decorated function as the job kind `name` (once, at import); `readable(user, params)`
    says whether the requester may still see the job and its result."""

    def register(run: Callable[[JobContext], JobOutcome]):
        if name in _KINDS and _KINDS[name].run is not run:
            raise ValueError(f"job kind {name!r} is registered twice")
        _KINDS[name] = JobKind(name, run, readable)
        return run

    return register


def kind_get(name: str) -> JobKind | None:
    return _KINDS.get(name)
