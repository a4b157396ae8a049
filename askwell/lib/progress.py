"""Progress for long commands: a bar on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import time
from io import TextIOBase
from typing import TextIO

from tqdm import tqdm

# A file, or a management command's self.stdout (Django's OutputWrapper).
Stream = TextIO | TextIOBase


class Progress:
    """Counts work done; call `advance(n)`, then `close()`.

    On a terminal it draws a tqdm bar (count, rate, time left). In a log or
    CI it writes one line every `every` seconds and a last one when done.
    """

    def __init__(
        self, label: str, total: int | None, stream: Stream, *, every: float = 5.0
    ) -> None:
        self.label = label
        self.total = total
        self.stream = stream
        self.every = every
        self.done = 0
        self.started = time.monotonic()
        self._last = self.started
        self._bar = (
            tqdm(
                total=total,
                desc=label,
                file=stream,
                unit=" records",
                dynamic_ncols=True,
            )
            if _is_terminal(stream)
            else None
        )

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self.stream.write(self._line(now) + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        else:
            self.stream.write(self._line(time.monotonic()) + " (done)\n")

    def _line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        if self.total:
            left = (self.total - self.done) / rate if rate else 0.0
            return f"{self.label}: {self.done:,}/{self.total:,} ({self.done / self.total:.0%}), {rate:,.0f}/s, {left:,.0f} s left"
        return f"{self.label}: {self.done:,}, {rate:,.0f}/s"


def _is_terminal(stream: Stream) -> bool:
    is_tty = getattr(stream, "isatty", None)
    return bool(is_tty and is_tty())
