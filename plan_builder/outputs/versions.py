"""The two versions `plan-builder diff` compares: each a build manifest, its document, or both.

By default the older is the last circulated version (what the board saw) and the newer the
latest build in the output folder; before anything is circulated, the last two builds.
Given on the command line, each version is a build manifest (.json) or a plan document
(.docx), and the other half is looked for beside it (a document's manifest has its name
with .json; a circulated manifest's document has its name with .docx).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plan_builder.errors import OutputError
from plan_builder.outputs.circulate import last_circulated
from plan_builder.outputs.manifest import MANIFEST_FOLDER, last_two_manifests, of_document, read_manifest


@dataclass(frozen=True)
class Version:
    """One side of a comparison: its manifest (for changes in words) and its document (for tracked changes)."""

    source: Path
    """What the user named (or what was found): shown in messages."""
    manifest: dict[str, Any] | None
    document: Path | None


def version_at(path: Path) -> Version:
    """The version a .json manifest or .docx document names, with its other half when it lies beside it."""
    if path.suffix.lower() == ".docx":
        if not path.is_file():
            raise OutputError(f"{path}: document not found")
        beside = path.with_suffix(".json")
        return Version(path, read_manifest(beside) if beside.is_file() else None, path)
    if path.suffix.lower() == ".json":
        manifest = read_manifest(path)
        return Version(path, manifest, _document_of(path, manifest))
    raise OutputError(f"{path}: expected a build manifest (.json) or a plan document (.docx)")


def _document_of(path: Path, manifest: dict[str, Any]) -> Path | None:
    """The document a manifest describes, if it is still there (copies in output/manifests/ have none)."""
    if path.parent.name == MANIFEST_FOLDER:
        return None
    candidates = [path.with_suffix(".docx")]
    if manifest.get("document"):
        candidates.append(path.parent / str(manifest["document"]))
    return next((candidate for candidate in candidates if candidate.is_file()), None)


def latest_build(folder: Path, document: str = "plan") -> Version | None:
    """The newest build of `document` whose manifest and document are in `folder`."""
    found = []
    for path in folder.glob("*.json") if folder.is_dir() else []:
        try:
            manifest = read_manifest(path)
        except OutputError:
            continue  # not a manifest (some other JSON file in the folder)
        if not of_document(manifest, document):
            continue
        found.append((str(manifest.get("built_at", "")), path, manifest))
    if not found:
        return None
    _, path, manifest = max(found, key=lambda item: item[0])
    return Version(path, manifest, _document_of(path, manifest))


def default_versions(folder: Path, document: str = "plan") -> tuple[Version, Version]:
    """The last circulated version of `document` and its latest build; before any circulation, its last two builds."""
    circulated = last_circulated(folder, document=document)
    newest = latest_build(folder, document)
    if circulated is not None and newest is not None:
        old = Version(circulated.manifest_path, circulated.record, circulated.document)
        return old, newest
    older, newer = last_two_manifests(folder, document)
    return version_at(older), newest if newest is not None else version_at(newer)
