"""A content-addressed cache for rendered images (charts, heat maps).

An image's key is a hash of everything that decides its pixels: its data, its
style constants and typeface, plan-builder's version and Pillow's. A hit skips
drawing and encoding the image. The cache lives
in `output/.cache` unless PLAN_BUILDER_CACHE_DIR names another folder; deleting
it is always safe.

Every entry on disk carries the SHA-256 of its content (`seal`), checked on every read
(`unseal`): an entry that was cut short, damaged or edited is deleted and made again,
never used.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import re
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from plan_builder import __version__

CACHE_ENV = "PLAN_BUILDER_CACHE_DIR"
SEAL = b"plan-builder cache entry sha256="
"""An entry's first line: this, the SHA-256 of the rest of the file in hex, and a newline."""


def cache_dir_for(output_dir: Path) -> Path:
    """The cache folder: $PLAN_BUILDER_CACHE_DIR, or `.cache` inside the output folder."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else output_dir / ".cache"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of plan-builder's own source and packaged data, so any code change invalidates caches.

    Each file counts by its name, size and modification time (as Python's own bytecode cache
    does), not its bytes: reading some 200 files took a tenth of a cached build.
    """
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            status = path.stat()
            digest.update(f"{path.relative_to(package).as_posix()} {status.st_size} {status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _renderer_versions() -> str:
    from importlib import metadata  # slow to import; only needed when an image is looked up

    try:
        pillow = metadata.version("pillow")
    except metadata.PackageNotFoundError:
        pillow = "none"
    return f"plan-builder {code_digest()}; pillow {pillow}"


def image_key(kind: str, payload: Any) -> str:
    """A stable hash of an image's kind, inputs and the renderer versions."""
    text = json.dumps([kind, _renderer_versions(), payload], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def seal(data: bytes) -> bytes:
    """The bytes stored for an entry: a first line with the SHA-256 of `data`, then `data`."""
    return SEAL + hashlib.sha256(data).hexdigest().encode() + b"\n" + data


def unseal(stored: bytes) -> bytes | None:
    """An entry's content if its digest matches, else None (cut short, damaged, edited, or an old format)."""
    header_end = len(SEAL) + 64
    if not stored.startswith(SEAL) or stored[header_end : header_end + 1] != b"\n":
        return None
    data = stored[header_end + 1 :]
    return data if hashlib.sha256(data).hexdigest().encode() == stored[len(SEAL) : header_end] else None


def read_entry(path: Path) -> bytes | None:
    """The verified content of the entry at `path`; a bad entry is deleted (and so made again)."""
    try:
        stored = path.read_bytes()
    except OSError:
        return None
    data = unseal(stored)
    if data is None:
        drop_entry(path)
        return None
    mark_used(path)
    return data


def drop_entry(path: Path) -> None:
    """Delete an entry that cannot be used; problems there never fail a build."""
    with contextlib.suppress(OSError):
        path.unlink()


class ImageCache:
    """Rendered images by key; new ones are written to disk only by `flush`, after a successful build."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.new: dict[str, bytes] = {}

    def get_or_render(self, key: str, render: Callable[[], bytes]) -> bytes:
        """The image for `key`: from memory or disk, else rendered (and kept for `flush`)."""
        if key in self.new:
            return self.new[key]
        if self.folder is not None:
            stored = read_entry(self.folder / key[:2] / f"{key}.png")
            if stored is not None:
                return stored
        data = render()
        self.new[key] = data
        return data

    def flush(self) -> None:
        """Store new images; cache problems (read-only folder, full disk) never fail a build."""
        if self.folder is None:
            return
        for key, data in self.new.items():
            write_cache_file(self.folder / key[:2] / f"{key}.png", seal(data))
        self.new.clear()


def write_cache_file(path: Path, data: bytes) -> None:
    """Write one cache entry atomically (a uniquely named temporary file, then a rename), ignoring failures.

    Entries are named by the hash of their content, so two processes writing the same
    entry write the same bytes; the rename makes each write all-or-nothing.
    """
    temporary = path.with_name(f"{path.name}.{os.getpid()}-{next(_SEQUENCE)}.partial")
    try:
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


_SEQUENCE = itertools.count()


KEEP_UNUSED_DAYS = 30
"""Cache entries no build has used for this long are deleted."""
PRUNE_EVERY_HOURS = 24
PRUNED_MARKER = ".plan-builder-pruned"


def mark_used(path: Path) -> None:
    """Refresh an entry's modification time when a build uses it, so pruning keeps it."""
    with contextlib.suppress(OSError):
        os.utime(path)


def prune_cache(folder: Path, *, now: float | None = None) -> int:
    """Delete entries unused for `KEEP_UNUSED_DAYS`, at most once every `PRUNE_EVERY_HOURS`; return how many.

    Entries are files under `folder` (charts, heat maps, rendered sections), each
    touched whenever a build uses it. Half-written files left by a killed build
    ('.partial') go after an hour. Problems never fail a build.
    """
    now = time.time() if now is None else now
    marker = folder / PRUNED_MARKER
    try:
        if now - marker.stat().st_mtime < PRUNE_EVERY_HOURS * 3600:
            return 0
    except FileNotFoundError:
        pass
    except OSError:
        return 0
    removed = 0
    for path in _cache_files(folder):
        try:
            age = now - path.stat().st_mtime
            if age > KEEP_UNUSED_DAYS * 86400 or (path.name.endswith(".partial") and age > 3600):
                path.unlink()
                removed += 1
        except OSError:
            continue
    with contextlib.suppress(OSError):
        marker.touch()
        os.utime(marker, (now, now))
    return removed


ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.(png|json)(\.\d+-\d+\.partial)?")
"""Only files named like cache entries are ever deleted: the folder may be one the user shares
with other things (PLAN_BUILDER_CACHE_DIR=~/.cache)."""


def _cache_files(folder: Path) -> list[Path]:
    """Entry files: `<2 hex>/<64 hex>.png|json` and `fragments/<2 hex>/...`, and their partial files."""
    found = []
    for base in (folder, folder / "fragments"):
        try:
            shards = [d for d in base.iterdir() if len(d.name) == 2 and d.is_dir()]
        except OSError:
            continue
        for shard in shards:
            try:
                found += [p for p in shard.iterdir() if p.name.startswith(shard.name) and ENTRY_NAME.fullmatch(p.name)]
            except OSError:
                continue
    return found


def is_inside(folder: Path, parent: Path) -> bool:
    """True if `folder` is `parent` or below it."""
    return folder.resolve().is_relative_to(parent.resolve())


def remove_partials(folder: Path) -> int:
    """Delete half-written entries left by killed builds; call only when no other build writes to `folder`."""
    removed = 0
    for path in _cache_files(folder):
        if path.name.endswith(".partial"):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed
