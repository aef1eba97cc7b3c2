"""Circulated versions: the documents a board actually saw, kept in `output/circulated/` and never overwritten.

`plan-builder circulate` copies the current build (the .docx, the PDF when that build made
one, and its manifest) to `output/circulated/<stem>-v<version>.*`. The manifest copy gains a
`circulations` list (to whom, when). Later builds compare with the last circulated version:
the changes page, `plan-builder diff` and the tracked-changes document all start from it,
and the version history table lists each circulated version (see `history_rows`).

Circulating a version again is allowed only when the build reads exactly the same (a
second audience, say); a different build of a circulated version is refused, because the
version the board saw must stay what it was.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plan_builder.errors import OutputError
from plan_builder.inputs.config import Plan, Status, VersionEntry
from plan_builder.outputs.manifest import input_hashes, of_document, read_manifest
from plan_builder.outputs.names import document_stem
from plan_builder.outputs.write import write_atomic

CIRCULATED_FOLDER = "circulated"
SHOWN_STALE = 3
"""Changed files named when a build is out of date (the rest are counted)."""


@dataclass(frozen=True)
class Circulation:
    """A circulated version: its manifest (with its `circulations`) and, beside it, its frozen document."""

    manifest_path: Path
    record: dict[str, Any]

    @property
    def version(self) -> str:
        """The plan version it was built as."""
        return str(self.record.get("plan", {}).get("version", "?"))

    @property
    def document(self) -> Path:
        """The circulated .docx."""
        return self.manifest_path.with_suffix(".docx")

    @property
    def first(self) -> dict[str, str]:
        """When and to whom it was first circulated."""
        return dict(self.record["circulations"][0])

    @property
    def circulated_on(self) -> dt.date:
        """The date it was first circulated."""
        return dt.datetime.fromisoformat(self.first["on"]).date()


def circulated_name(plan: Plan) -> str:
    """'<service>-<period>-<status>-v<version>' (a final plan's stem already ends in its version)."""
    stem = document_stem(plan)
    return stem if plan.manifest.status is Status.FINAL else f"{stem}-v{plan.manifest.version}"


def circulations(folder: Path, document: str = "plan") -> list[Circulation]:
    """Every circulated version of `document` in `folder/circulated/`, in the order they were first circulated."""
    base = folder / CIRCULATED_FOLDER
    found = []
    for path in sorted(base.glob("*.json")) if base.is_dir() else []:
        record = read_manifest(path)
        if record.get("circulations") and path.with_suffix(".docx").exists() and of_document(record, document):
            found.append(Circulation(path, record))
    return sorted(found, key=lambda c: (c.first["on"], c.manifest_path.name))


def last_circulated(folder: Path, *, other_than: str | None = None, document: str = "plan") -> Circulation | None:
    """The most recently circulated version of `document` (other than version `other_than`), if any."""
    found = [c for c in circulations(folder, document) if c.version != other_than]
    return found[-1] if found else None


def changed_since_circulated(folder: Path, record: dict[str, Any], document: str) -> Circulation | None:
    """The circulation of the very version `record` was built as, if its text, figures or parts differ from it."""
    version = str(record.get("plan", {}).get("version"))
    same = [c for c in circulations(folder, document) if c.version == version]
    if not same:
        return None

    def content(built: dict[str, Any]) -> tuple[Any, ...]:
        sections = {name: entry.get("sha256") for name, entry in built.get("sections", {}).items()}
        figures = {name: (entry.get("display"), entry.get("rag")) for name, entry in built.get("figures", {}).items()}
        return sections, figures, built.get("parts")

    return same[-1] if content(same[-1].record) != content(record) else None


def history_rows(plan: Plan, folder: Path) -> list[VersionEntry]:
    """Version history rows for circulated versions that plan.yaml's `document_control` does not list.

    The version being built is left out: its own history row would make each rebuild of a
    circulated version differ from the document that was circulated.
    """
    manifest = plan.manifest
    listed = {entry.version for entry in manifest.document_control} | {manifest.version}
    author = history_author(plan)
    return [
        VersionEntry(version=c.version, date=c.circulated_on, author=author, summary=circulated_summary(c.first))
        for c in circulations(folder, plan.document)
        if c.version not in listed
    ]


def history_author(plan: Plan) -> str:
    """Who a circulated version's history row names: the service manager (or the service)."""
    service = plan.manifest.service
    return service.manager.name if service.manager else service.name


def circulated_summary(circulation: dict[str, str]) -> str:
    """'Circulated to Board, 12 June 2025' (or just 'Circulated')."""
    return f"Circulated to {circulation['to']}" if circulation.get("to") else "Circulated"


@dataclass(frozen=True)
class Circulated:
    """What `circulate` did: the files it kept, and whether the version had been circulated before."""

    circulation: Circulation
    files: list[Path]
    again: bool
    """True when the same content had been circulated before (only the record gained a row)."""


def check_current(plan: Plan, document: Path, record: dict[str, Any]) -> None:
    """Refuse a build that no longer matches the plan's files: the board must get what the files say."""
    now = input_hashes(plan.root, [])
    then = record.get("inputs", {})
    changed = sorted(name for name in set(now) | set(then) if now.get(name) != then.get(name))
    if changed:
        named = ", ".join(changed[:SHOWN_STALE]) + (
            f" and {len(changed) - SHOWN_STALE} more" if len(changed) > SHOWN_STALE else ""
        )
        raise OutputError(f"{document}: built before {named} changed; run `plan-builder build` again, then circulate")


def circulate(plan: Plan, folder: Path, *, to: str = "", on: dt.date | None = None) -> Circulated:
    """Freeze the current build of `plan` in `folder` as a circulated version, circulated `on` (default: now)."""
    stem = document_stem(plan)
    document, manifest_path = folder / f"{stem}.docx", folder / f"{stem}.json"
    if not document.exists() or not manifest_path.exists():
        raise OutputError(
            f"{document}: no build of version {plan.manifest.version} to circulate; run `plan-builder build` first"
        )
    record = read_manifest(manifest_path)
    check_current(plan, document, record)
    target = folder / CIRCULATED_FOLDER / f"{circulated_name(plan)}.json"
    entry = {"to": to, "on": on.isoformat() if on else dt.datetime.now().astimezone().isoformat(timespec="seconds")}
    pdf = folder / record["pdf"] if record.get("pdf") else None
    kept = target.with_suffix(".docx")
    again = kept.exists()
    if again:
        _check_same(kept, document, target, plan.manifest.version)
    previous = read_manifest(target).get("circulations", []) if target.exists() else []
    files = [] if again else [_copy(document, kept)]
    if pdf is not None and pdf.exists() and not target.with_suffix(".pdf").exists():
        files.append(_copy(pdf, target.with_suffix(".pdf")))
    circulated = {**record, "circulations": [*previous, entry]}
    text = json.dumps(circulated, indent=2, default=str).encode()
    write_atomic(target, lambda handle: handle.write(text))
    return Circulated(Circulation(target, circulated), [*files, target], again)


def _copy(source: Path, target: Path) -> Path:
    with source.open("rb") as reader:
        return write_atomic(target, lambda handle: shutil.copyfileobj(reader, handle))


def _check_same(kept: Path, document: Path, record_path: Path, version: str) -> None:
    """A circulated version is never overwritten: circulating it again needs a build that reads the same."""
    import docx

    from plan_builder.word.revisions import content_fingerprint  # python-docx: only when a version is re-sent

    if content_fingerprint(docx.Document(str(kept))) == content_fingerprint(docx.Document(str(document))):
        return
    record = read_manifest(record_path) if record_path.exists() else {}
    first = (record.get("circulations") or [{}])[0]
    when = f" on {first['on'][:10]}" if first.get("on") else ""
    audience = f" to {first['to']}" if first.get("to") else ""
    raise OutputError(
        f"{kept}: version {version} was circulated{audience}{when}, and the "
        "current build differs from it; a circulated version is never overwritten: set a new version in "
        "plan.yaml (version:), build, then circulate"
    )
