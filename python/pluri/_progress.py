"""Progress of long calls: a tqdm bar (``tqdm.auto``, so a widget in notebooks) when tqdm is
installed, nothing otherwise. ``progress=`` of every call takes True (a bar if possible),
False (none) or a callable ``f(done, total)``."""

from __future__ import annotations

from typing import Callable, Optional

Callback = Callable[[int, int], None]


class _Bar:
    """A tqdm bar fed with ``(done, total)``, made at the first call (when the total is
    known); closed by ``close()``."""

    def __init__(self, desc: str, unit: str):
        from tqdm.auto import tqdm  # noqa: PLC0415 (optional dependency)

        self._tqdm = tqdm
        self._desc = desc
        self._unit = unit
        self._bar = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = self._tqdm(total=total, desc=self._desc, unit=self._unit, leave=False)
        elif self._bar.total != total:
            self._bar.total = total
            self._bar.refresh()
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class progress_for:
    """Context manager giving the callback to pass to the native call, or None."""

    def __init__(self, progress, desc: str, unit: str):
        self._bar: Optional[_Bar] = None
        self.callback: Optional[Callback] = None
        if callable(progress):
            self.callback = progress
        elif progress:
            try:
                self._bar = _Bar(desc, unit)
                self.callback = self._bar
            except ImportError:
                self.callback = None

    def __enter__(self) -> Optional[Callback]:
        return self.callback

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()
