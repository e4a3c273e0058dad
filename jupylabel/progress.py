"""Progress bars for long imports and exports: tqdm, in the notebook or the terminal.

``progress=None`` (the default everywhere) shows a bar only once the work has taken a second,
so small imports stay quiet; ``True`` shows it at once, ``False`` never.
"""

from __future__ import annotations

from typing import Sequence

SHOW_AFTER = 1.0  # seconds


class _NoBar:
    """What ``progress=False`` gets: a bar that shows nothing (and needs no tqdm)."""

    def __init__(self, total: int | None):
        self.total, self.n = total, 0

    def update(self, n: int) -> None:
        self.n += n

    def set_postfix_str(self, *args, **kwargs) -> None:
        pass

    def close(self) -> None:
        pass


class Progress:
    """A bar over ``total`` units (rows, or named steps with :meth:`step`)."""

    def __init__(self, total: int | None, *, desc: str, unit: str = "it", enabled: bool | None = None):
        if enabled is False:
            self._bar = _NoBar(total)
        else:
            from tqdm.auto import tqdm  # here, not at import: a server never shows a bar

            self._bar = tqdm(total=total, desc=desc, unit=unit, delay=0 if enabled else SHOW_AFTER, leave=True,
                             dynamic_ncols=True)
        self._names: list[str] = []

    @classmethod
    def steps(cls, names: Sequence[str], *, desc: str, enabled: bool | None = None) -> Progress:
        """A bar over named phases (a set-based import cannot count rows as it goes)."""
        bar = cls(len(names), desc=desc, unit="step", enabled=enabled)
        bar._names = list(names)
        return bar

    def step(self, name: str) -> None:
        """Phase ``name`` starts: the phases before it are done."""
        done = self._names.index(name)
        if done > self._bar.n:
            self._bar.update(done - self._bar.n)
        self._bar.set_postfix_str(name, refresh=False)

    def update(self, n: int) -> None:
        self._bar.update(n)

    def close(self) -> None:
        self._bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None and self._bar.total and self._bar.n < self._bar.total:
            self._bar.update(self._bar.total - self._bar.n)
        self.close()
