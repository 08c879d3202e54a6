"""Progress of a run's stages, for whoever watches: the CLI installs a reporter (rich progress bars on a
terminal); without one, every call here does nothing, and the flow's log lines tell the story."""

from __future__ import annotations

from typing import Protocol


class Reporter(Protocol):
    """Receives stage progress: ``start`` (total may be None when unknown), ``advance``, ``finish``."""

    def start(self, stage: str, total: int | None) -> None: ...

    def advance(self, stage: str, amount: int = 1) -> None: ...

    def finish(self, stage: str) -> None: ...


_reporter: Reporter | None = None


def install(reporter: Reporter | None) -> None:
    """Set (or with None, remove) this process's reporter."""
    global _reporter
    _reporter = reporter


def start(stage: str, total: int | None = None) -> None:
    """A stage begins (``total`` units of work, if known)."""
    if _reporter is not None:
        _reporter.start(stage, total)


def advance(stage: str, amount: int = 1) -> None:
    """``amount`` units of a stage are done."""
    if _reporter is not None:
        _reporter.advance(stage, amount)


def finish(stage: str) -> None:
    """A stage is complete."""
    if _reporter is not None:
        _reporter.finish(stage)


class RichReporter:
    """Progress bars on a terminal (rich)."""

    LABELS = {"fetch": "fetching sources", "ingest": "reading files", "extract": "extracting articles"}

    def __init__(self, console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=console, transient=False)
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> RichReporter:
        self.progress.start()
        install(self)
        return self

    def __exit__(self, *exc: object) -> None:
        install(None)
        self.progress.stop()

    def start(self, stage: str, total: int | None) -> None:
        self.tasks[stage] = self.progress.add_task(self.LABELS.get(stage, stage), total=total)

    def advance(self, stage: str, amount: int = 1) -> None:
        if stage in self.tasks:
            self.progress.advance(self.tasks[stage], amount)

    def finish(self, stage: str) -> None:
        if stage in self.tasks:
            task = self.progress.tasks[self.tasks[stage]]
            self.progress.update(self.tasks[stage], total=task.completed)
