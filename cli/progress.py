"""A rich progress bar per loaded file: the loader's LoadProgress drawn in the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class RichLoadProgress:
    """Implements etl.loader.LoadProgress; use as a context manager."""

    def __init__(self, console: Console | None = None) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console or Console(stderr=True),
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> "RichLoadProgress":
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)  # type: ignore[arg-type]

    def file_started(self, table: str, file_name: str, total_rows: int | None) -> None:
        self._tasks[table] = self._progress.add_task(f"{file_name:<24}", total=total_rows)

    def file_advanced(self, table: str, rows: int) -> None:
        self._progress.advance(self._tasks[table], rows)

    def file_finished(self, table: str) -> None:
        task = self._tasks[table]
        total = self._progress.tasks[task].total
        if total is not None:
            self._progress.update(task, completed=total)
