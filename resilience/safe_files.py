"""Writing a file the tool produces (export, report, scores): owner-only and atomic.

The content goes to a temporary file in the same folder, which is flushed to disk and
then renamed over the requested name (``os.replace``). A full disk, a crash or an
error half way never leaves a truncated file under the requested name, and the file is
readable by its owner alone (0600) unless the caller asks for another mode.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Literal, overload

OWNER_ONLY = 0o600


Done = Callable[[], None] | None


@overload
def atomic_write(
    path: Path,
    mode: Literal["w"] = "w",
    *,
    permissions: int = OWNER_ONLY,
    before_rename: Done = None,
) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def atomic_write(
    path: Path, mode: Literal["wb"], *, permissions: int = OWNER_ONLY, before_rename: Done = None
) -> contextlib.AbstractContextManager[IO[bytes]]: ...


def atomic_write(
    path: Path, mode: str = "w", *, permissions: int = OWNER_ONLY, before_rename: Done = None
) -> contextlib.AbstractContextManager[IO[Any]]:
    """``with atomic_write(path) as handle:`` write; the file appears only when the
    block ends without an exception. Raises OSError (e.g. no space, no permission).
    A path that exists and is not a regular file (``/dev/stdout``, a named pipe) is
    written directly: there is no file to replace.

    ``before_rename`` runs once the content is safely on disk and before it takes the
    requested name (e.g. the audit line saying it was exported): if it raises, no file
    appears; if the rename fails, the caller's record already exists, which is why the
    rename, a metadata change in one folder, is the only step after it."""
    return _atomic(Path(path), mode, permissions, before_rename)


@contextlib.contextmanager
def _atomic(path: Path, mode: str, permissions: int, before_rename: Done) -> Iterator[IO[Any]]:
    if path.exists() and not path.is_file():  # /dev/stdout, a pipe: nothing to replace
        text = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with path.open(mode, **text) as stream:  # type: ignore[call-overload]
            yield stream
        if before_rename is not None:
            before_rename()
        return
    folder = path.parent if str(path.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    temp = Path(temp_name)
    try:
        os.fchmod(fd, permissions)  # mkstemp makes it 0600; a caller may ask for more
        if "b" in mode:
            handle: IO[Any] = os.fdopen(fd, mode)
        else:
            handle = os.fdopen(fd, mode, encoding="utf-8", newline="")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if before_rename is not None:
            before_rename()
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_text(
    path: Path, text: str, *, permissions: int = OWNER_ONLY, before_rename: Done = None
) -> None:
    with atomic_write(path, permissions=permissions, before_rename=before_rename) as handle:
        handle.write(text)
