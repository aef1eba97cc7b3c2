"""Write output files atomically, so a failed or killed build never leaves half a document.

`write_atomic` writes one file; a build writes its whole set through `OutputSet`
(outputs/outputset.py), which stages every file first and puts them in place together.
The messages for a folder that cannot be written (read-only, full, no permission) are
made here, once, so every command says the same thing.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from plan_builder.errors import OutputError

NOTHING_REPLACED = "nothing was replaced"
JOURNAL_PREFIX = ".plan-builder-commit."
"""A build's journal, `.plan-builder-commit.<token>.json`: the files it is putting in place."""
PARTIAL = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.partial")
"""Names of staged files and scratch folders (`.<name>.<token>.partial`), removed if a build leaves them."""
Content = bytes | Callable[[IO[bytes]], object]


def slug(text: str) -> str:
    """'Calderbrook Youth Justice Service' -> 'calderbrook-youth-justice-service'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "plan"


def word_has_open(path: Path) -> bool:
    """True if Word's lock file for `path` is present (Word shortens long names to ~$ + tail)."""
    candidates = {path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:])}
    return any(candidate.exists() for candidate in candidates)


def refuse_if_open_in_word(path: Path) -> None:
    """Stop before anything is written if Word has `path` open: replacing it would fail or confuse Word."""
    if word_has_open(path):
        raise OutputError(
            f"{path}: the document is open in Word (lock file '~$...' beside it); close it and build again"
        )


def folder_problem(folder: Path, exc: OSError, *, needed: int | None = None) -> OutputError:
    """An `OutputError` that says why `folder` cannot be written and what to do, for an `OSError`.

    A read-only folder, a full disk and a missing permission each get their own fix; anything
    else keeps the system's words. Every such failure happens before a file is replaced.
    """
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        size = f" (this build needs about {_megabytes(needed)})" if needed else ""
        return OutputError(
            f"{folder}: not enough free space to write the documents{size}; {NOTHING_REPLACED}. "
            "Free some space and build again"
        )
    if code == errno.EROFS:
        return OutputError(
            f"{folder}: the output folder is on a read-only drive; {NOTHING_REPLACED}. "
            "Build into another folder with --output DIR"
        )
    if code in (errno.EACCES, errno.EPERM):
        return OutputError(
            f"{folder}: no permission to write into the output folder; {NOTHING_REPLACED}. "
            "Ask for write access or build into another folder with --output DIR"
        )
    return OutputError(f"{folder}: cannot write into the output folder ({exc.strerror or exc}); {NOTHING_REPLACED}")


def _megabytes(size: int | None) -> str:
    size = size or 0
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{-(-size // 1000)} kB"


def ensure_folder(folder: Path) -> None:
    """Create the output folder (and its parents) if needed, with a clear error when that is impossible."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno == errno.EEXIST:  # a file where the folder should be
            raise OutputError(f"{folder}: cannot create the output folder (File exists)") from exc
        raise folder_problem(folder, exc) from exc


def partial_name(name: str, token: str) -> str:
    """The temporary name a file `name` is staged under by the build with `token` (hidden: it starts with a dot)."""
    return f"{'' if name.startswith('.') else '.'}{name}.{token}.partial"


def sync_folder(folder: Path) -> None:
    """Make renames in `folder` durable (where the file system allows it)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


@dataclass(frozen=True)
class StagedFile:
    """One file of an output set, written under a temporary name beside its target."""

    target: Path
    temporary: Path
    sha256: str
    size: int
    exclusive: bool


class OutputSet:
    """Every file one build writes, staged beside its target and put in place together.

    `add` writes each file in full under a temporary name (`.<name>.<token>.partial`) in its
    target's folder, so a full or read-only folder stops the build before anything is replaced.
    `commit` records the set in a journal (from then on the build counts as done), renames every
    file into place and removes the journal. A build killed before the journal leaves only
    temporary files, which the next build removes; one killed after it is finished by the next
    build (outputs/recovery.py). A file added with `exclusive=True` (a final plan) is created,
    never replaced, with no gap between "does it exist" and "write it". Used as a context
    manager, leaving the block without `commit` removes whatever was staged.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.token = secrets.token_hex(4)
        self.staged: list[StagedFile] = []
        self.committed = False

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self.committed:
            self.discard()

    @property
    def size(self) -> int:
        """Bytes staged so far."""
        return sum(item.size for item in self.staged)

    def add(self, target: Path, content: Content, *, exclusive: bool = False) -> StagedFile:
        """Stage `content` (bytes, or a function that writes to a file) for `target`; nothing is replaced yet."""
        target.relative_to(self.folder)  # a file outside the set's folder is a programming error
        if isinstance(content, bytes):
            data = content
        else:
            buffer = io.BytesIO()  # in memory first: a failing writer never holds a half-written file open
            content(buffer)
            data = buffer.getvalue()
        ensure_folder(target.parent)
        temporary = target.with_name(partial_name(target.name, self.token))
        try:
            _write_new(temporary, data)
        except OSError as exc:
            raise folder_problem(target.parent, exc, needed=self.size + len(data)) from exc
        staged = StagedFile(target, temporary, hashlib.sha256(data).hexdigest(), len(data), exclusive)
        self.staged.append(staged)
        return staged

    def commit(self) -> list[Path]:
        """Put every staged file in place (exclusive ones first) and return the targets."""
        for item in self.staged:
            if item.exclusive and os.path.lexists(item.target):
                raise OutputError(f"{item.target}: already exists and is never replaced; {NOTHING_REPLACED}")
        journal = self._write_journal()
        order = sorted(self.staged, key=lambda item: not item.exclusive)
        created: list[Path] = []
        for item in order:
            try:
                place(item.temporary, item.target, exclusive=item.exclusive)
            except FileExistsError as exc:  # a writer that does not take the output lock got there first
                for path in created:
                    path.unlink(missing_ok=True)
                journal.unlink(missing_ok=True)
                raise OutputError(
                    f"{item.target}: already exists and is never replaced (written by another build at the "
                    f"same time); {NOTHING_REPLACED}"
                ) from exc
            except OSError as exc:  # the journal stays: the next build finishes the set
                self.committed = True
                raise OutputError(
                    f"{self.folder}: the build stopped while putting its files in place ({exc.strerror or exc}); "
                    "build again to finish them"
                ) from exc
            if item.exclusive:
                created.append(item.target)
        for folder in {item.target.parent for item in self.staged}:
            sync_folder(folder)
        journal.unlink()
        sync_folder(self.folder)
        self.committed = True
        return [item.target for item in self.staged]

    def discard(self) -> None:
        """Remove every staged file; the targets are untouched."""
        for item in self.staged:
            with contextlib.suppress(OSError):
                item.temporary.unlink()
        self.staged.clear()

    def _write_journal(self) -> Path:
        """Record the set (the commit point); a failure here leaves every target as it was."""
        for folder in {item.target.parent for item in self.staged}:
            sync_folder(folder)  # the staged files' names are on disk before the journal names them
        journal = self.folder / f"{JOURNAL_PREFIX}{self.token}.json"
        record = {
            "format": 1,
            "files": [
                {
                    "target": item.target.relative_to(self.folder).as_posix(),
                    "temporary": item.temporary.relative_to(self.folder).as_posix(),
                    "sha256": item.sha256,
                    "exclusive": item.exclusive,
                }
                for item in self.staged
            ],
        }
        temporary = journal.with_name(partial_name(journal.name, self.token))
        try:
            _write_new(temporary, json.dumps(record, indent=1).encode())
            os.replace(temporary, journal)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise folder_problem(self.folder, exc, needed=self.size) from exc
        sync_folder(self.folder)
        return journal


def _write_new(path: Path, data: bytes) -> None:
    """Write `data` to a new file `path` and flush it to disk; on failure remove it."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)  # the umask applies
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def place(temporary: Path, target: Path, *, exclusive: bool) -> None:
    """Rename `temporary` to `target`; when `exclusive`, raise FileExistsError rather than replace a file.

    A hard link creates the target with its full content in one step, failing if it exists;
    where the file system has no hard links, an empty file is created exclusively first.
    """
    if not exclusive:
        os.replace(temporary, target)
        return
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS):
            raise
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        os.replace(temporary, target)
        return
    os.unlink(temporary)


def write_atomic(path: Path, writer: Content) -> Path:
    """Write one file through an `OutputSet`: the previous file stays whole until the new one is complete."""
    ensure_folder(path.parent)
    refuse_if_open_in_word(path)
    with OutputSet(path.parent) as outputs:
        outputs.add(path, writer)
        outputs.commit()
    return path
