"""Crash logs: the traceback that explains an unexpected error, and none of the user's data.

A log goes to a 0600 file in the user's state folder (RELIABILITY.md 15). It holds:

* the traceback of the error that really happened: a failed Textual worker arrives as
  ``WorkerFailed``, which carries no traceback of its own, so the error it wraps is
  logged (with its ``__cause__`` / ``__context__`` chain);
* no local variables (tracebacks are formatted without them);
* no values: SQLAlchemy's ``[parameters: …]`` are cut out of every message (the engine
  hides them too), and so are quoted literals and e-mail addresses in messages, where a
  typed name, note or address would otherwise end up.

No Textual here at import time: the CLI writes crash logs too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import traceback
from collections.abc import Iterator
from pathlib import Path

PARAMETERS = re.compile(r"\[parameters: .*?(?=\n\(Background on this error|\Z)", re.S)
QUOTED = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*\"""")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
HIDDEN = "[parameters hidden]"


def scrub(message: str) -> str:
    """An exception message without the values it may carry."""
    message = PARAMETERS.sub(HIDDEN, message)
    message = QUOTED.sub(lambda m: m.group(0)[0] * 2, message)  # 'x' -> ''
    return EMAIL.sub("<address>", message)


def root_error(error: BaseException) -> BaseException:
    """The error behind Textual's ``WorkerFailed`` wrappers (the one with a traceback)."""
    seen: set[int] = set()
    while type(error).__name__ == "WorkerFailed" and id(error) not in seen:
        seen.add(id(error))
        inner = getattr(error, "error", None)
        if not isinstance(inner, BaseException):
            break
        error = inner
    return error


def _chain(te: traceback.TracebackException) -> Iterator[traceback.TracebackException]:
    todo, seen = [te], set()
    while todo:
        one = todo.pop()
        if id(one) in seen:
            continue
        seen.add(id(one))
        yield one
        todo += [x for x in (one.__cause__, one.__context__) if x is not None]
        todo += list(getattr(one, "exceptions", None) or ())


def format_crash(error: BaseException) -> str:
    """The traceback of ``error`` (unwrapped), every message scrubbed, no locals."""
    root = root_error(error)
    te = traceback.TracebackException.from_exception(root, capture_locals=False)
    text = "".join(te.format())
    for one in _chain(te):
        message = "".join(one.format_exception_only())
        text = text.replace(message, scrub(message))
    if root is not error:
        text = f"In a background task ({type(error).__name__}):\n\n{text}"
    return text


def write_crash_log(error: BaseException) -> Path | None:
    """Write the crash details to a new 0600 file in the state folder; its path."""
    from kamtui.db import create_private_file, private_dir, state_dir

    try:
        folder = private_dir(state_dir())
        path = folder / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
        create_private_file(path)
        with path.open("a", encoding="utf-8") as out:
            out.write(format_crash(error))
        return path
    except OSError:
        return None
