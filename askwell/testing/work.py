"""Counting work instead of timing it, for tests that show how a cost grows.

Time depends on the machine and on what else runs; the number of lines of
Python a call runs does not. `lines_run` counts them (sys.settrace), in the
modules named, so a test can compare a call on a text with the same call on
a text four times as long: about four times the lines is linear work,
sixteen is quadratic.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType, ModuleType
from typing import Any


def lines_run(call: Callable[[], Any], modules: list[ModuleType]) -> tuple[int, Any]:
    """(lines of `modules` run by `call()`, what it returned)."""
    files = {module.__file__ for module in modules}
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def scope(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename in files else None

    previous = sys.gettrace()
    sys.settrace(scope)
    try:
        result = call()
    finally:
        sys.settrace(previous)
    return count, result
