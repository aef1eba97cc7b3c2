"""Build manifests and the change summary between two builds.

Every build writes a JSON manifest beside the document (and keeps a copy in
`output/manifests/`): the inputs with content hashes, every computed figure, the
status and version, the tool version, the build time, and the SHA-256 of every file
the build wrote (`outputs`), so a document can be checked against the manifest that
describes it (`set_problems`). `plan-builder diff`
compares two manifests and says which figures changed (old -> new), which
sections' text changed and which input files changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plan_builder import __version__
from plan_builder.errors import OutputError

MANIFEST_FOLDER = "manifests"
INPUT_FOLDERS = ("sections", "data", "templates")


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_hashes(plan_root: Path, extra: list[str]) -> dict[str, str]:
    """Hashes of plan.yaml and every file under sections/, data/, templates/ (plus `extra`)."""
    files = {"plan.yaml"} | set(extra)
    for folder in INPUT_FOLDERS:
        base = plan_root / folder
        if base.is_dir():
            files |= {p.relative_to(plan_root).as_posix() for p in base.rglob("*") if p.is_file()}
    return {name: file_hash(plan_root / name) for name in sorted(files) if (plan_root / name).is_file()}


def make_manifest(
    *,
    plan_root: Path,
    plan: dict[str, Any],
    document: str,
    pdf: str | None,
    sections: dict[str, str],
    figures: dict[str, dict[str, Any]],
    warnings: list[str],
    extra_inputs: list[str],
    built_at: dt.datetime,
    datasets: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Assemble the manifest.

    `sections` maps section file to its rendered text; `datasets` gives each dataset's file,
    source and release date (its provenance).
    """
    return {
        "tool": "plan-builder",
        "tool_version": __version__,
        "built_at": built_at.isoformat(timespec="seconds"),
        "plan": plan,
        "document": document,
        "pdf": pdf,
        "inputs": input_hashes(plan_root, extra_inputs),
        "datasets": datasets or {},
        "sections": {
            name: {"sha256": hashlib.sha256(text.encode()).hexdigest(), "words": len(text.split())}
            for name, text in sections.items()
        },
        "figures": figures,
        "warnings": warnings,
    }


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The manifest as written to disk: a line per entry of each part (every figure, input, section...).

    As readable as an indented dump, and written by json's C encoder (indenting uses the
    pure-Python one, which took a tenth of a cached build).
    """
    parts = []
    for key, value in manifest.items():
        if isinstance(value, dict) and value:
            lines = [f"    {json.dumps(str(name))}: {json.dumps(entry, default=str)}" for name, entry in value.items()]
            parts.append(f"  {json.dumps(key)}: {{\n" + ",\n".join(lines) + "\n  }")
        else:
            parts.append(f"  {json.dumps(key)}: {json.dumps(value, default=str)}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode()


def history_path(document_path: Path, built_at: str) -> Path:
    """A name in output/manifests/ for this build's copy of its manifest that no other build has used.

    '<stem>-<build time>.json', then '-2', '-3'... for builds within the same second. Called
    while holding the output folder's lock, and the copy is then created exclusively, so two
    builds never share a name (and no build's history is lost).
    """
    stamp = built_at.replace(":", "").replace("-", "")
    folder = document_path.parent / MANIFEST_FOLDER
    history = folder / f"{document_path.stem}-{stamp}.json"
    counter = 1
    while history.exists():
        counter += 1
        history = folder / f"{document_path.stem}-{stamp}-{counter}.json"
    return history


def set_problems(document_path: Path) -> list[str]:
    """What is wrong with a built document's set: its manifest missing, or a file not matching its hash.

    Each message says what to do. Manifests from before hashes were recorded are not checked
    further than being there.
    """
    beside = document_path.with_suffix(".json")
    if not beside.exists():
        if not document_path.exists():
            return []
        return [
            f"{document_path}: has no build manifest ({beside.name}), so it cannot be checked or compared; "
            "build again to replace both (a final version: move the .docx out of the output folder first)"
        ]
    try:
        manifest = read_manifest(beside)
    except OutputError as exc:
        return [f"{exc}; build again to replace it"]
    problems = []
    outputs = manifest.get("outputs")
    for name, recorded in outputs.items() if isinstance(outputs, dict) else []:
        path = document_path.parent / name
        if not path.exists():
            problems.append(f"{path}: missing, but {beside.name} lists it as part of the same build; build again")
        elif not isinstance(recorded, dict) or file_hash(path) != recorded.get("sha256"):
            problems.append(
                f"{path}: does not match its build manifest {beside.name} (changed since it was built); "
                "build again to replace both, or if it was edited by hand, keep that copy elsewhere first"
            )
    return problems


def stale_siblings(document_path: Path) -> list[str]:
    """PDFs, appendices and tracked changes beside the document that its manifest does not list: an earlier build's.

    A build without --pdf leaves an earlier PDF in place rather than delete a file it did not
    make this time; this says so, so nobody circulates a PDF that no longer matches the plan.
    """
    beside = document_path.with_suffix(".json")
    try:
        outputs = read_manifest(beside).get("outputs") if beside.exists() else None
    except OutputError:
        return []
    if not isinstance(outputs, dict):
        return []  # a manifest from before outputs were recorded, or none at all
    stem = document_path.stem
    folder = document_path.parent
    candidates = [folder / f"{stem}.pdf", folder / f"{stem}-board-pack.pdf", *folder.glob(f"{stem}-appendix-*.docx")]
    tracked = folder / f"{stem}-tracked-changes.docx"
    stale = [
        f"{path}: from an earlier build than {document_path.name} (not in {beside.name}); "
        f"build again with the same options (--pdf, --board-pack) to replace it, or delete it"
        for path in sorted(candidates)
        if path.is_file() and path.name not in outputs
    ]
    if tracked.is_file() and tracked.name not in outputs:
        stale.append(
            f"{tracked}: tracked changes of an earlier build than {document_path.name} (not in {beside.name}); "
            "delete it, or circulate a version and build again to compare with it"
        )
    return stale


def read_manifest(path: Path) -> dict[str, Any]:
    """Read a manifest, with a clear error if it is missing or not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise OutputError(f"{path}: build manifest not found") from exc
    except OSError as exc:
        raise OutputError(f"{path}: cannot read the build manifest ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise OutputError(f"{path}: not a build manifest (not UTF-8 text)") from exc
    except json.JSONDecodeError as exc:
        raise OutputError(f"{path}: not a build manifest (invalid JSON at line {exc.lineno})") from exc
    if not isinstance(data, dict) or data.get("tool") != "plan-builder":
        raise OutputError(f"{path}: not a plan-builder build manifest")
    return data


def of_document(manifest: dict[str, Any], document: str) -> bool:
    """Whether a build manifest is of `document` ('plan' for manifests written before documents existed)."""
    return manifest.get("plan", {}).get("document_name", "plan") == document


def last_of_other_version(output_dir: Path, version: str, document: str = "plan") -> dict[str, Any] | None:
    """The newest build manifest of `document` in `output_dir/manifests/` whose version differs from `version`."""
    folder = output_dir / MANIFEST_FOLDER
    if not folder.is_dir():
        return None
    manifests = [(p, read_manifest(p)) for p in folder.glob("*.json")]
    others = [
        (p, m) for p, m in manifests if str(m.get("plan", {}).get("version")) != version and of_document(m, document)
    ]
    return max(others, key=lambda pm: _build_order(*pm))[1] if others else None


def _build_order(path: Path, manifest: dict[str, Any]) -> tuple[str, int]:
    """Sort key of a saved manifest: build time (to the second), then the name's counter.

    `history_path` names a second build within the same second '-2', a third '-3'...
    """
    last = path.stem.rsplit("-", 1)[-1]
    return manifest["built_at"], int(last) if last.isdigit() else 1


def last_two_manifests(output_dir: Path, document: str = "plan") -> tuple[Path, Path]:
    """The two most recent manifests of `document` in `output_dir/manifests/`, oldest first."""
    folder = output_dir / MANIFEST_FOLDER
    saved = [(p, read_manifest(p)) for p in folder.glob("*.json")] if folder.is_dir() else []
    found = [p for p, m in sorted(saved, key=lambda pm: _build_order(*pm)) if of_document(m, document)]
    if len(found) < 2:
        raise OutputError(f"{folder}: need two builds to compare; found {len(found)}")
    return found[-2], found[-1]


@dataclass
class ChangeSummary:
    """What differs between two builds."""

    old_label: str
    new_label: str
    old_version: str = "?"
    figures: list[tuple[str, str, str]] = field(default_factory=list)
    """(figure id, old display, new display)."""
    sections: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    status: tuple[str, str] | None = None

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.figures or self.sections or self.inputs or self.status)

    def short(self) -> str:
        """One line for the build output."""
        if self.empty:
            return f"No changes since the previous build ({self.old_label})."
        parts = [
            f"{len(self.figures)} figure(s)",
            f"{len(self.sections)} section(s)",
            f"{len(self.inputs)} input file(s)",
        ]
        return f"Since the previous build ({self.old_label}): {', '.join(parts)} changed; see `plan-builder diff`."

    def lines(self) -> list[str]:
        """The full summary, one item per line."""
        out = [f"Changes from {self.old_label} to {self.new_label}:"]
        if self.status:
            out.append(f"Status: {self.status[0]} -> {self.status[1]}")
        out.append(f"Figures changed ({len(self.figures)}):")
        out += [f"  {ident}: {old} -> {new}" for ident, old, new in self.figures]
        out.append(f"Sections whose text changed ({len(self.sections)}):")
        out += [f"  {name}" for name in self.sections]
        out.append(f"Input files changed ({len(self.inputs)}):")
        out += [f"  {name}" for name in self.inputs]
        return out


def _label(manifest: dict[str, Any]) -> str:
    plan = manifest.get("plan", {})
    return f"version {plan.get('version', '?')} ({plan.get('status', '?')}) built {manifest.get('built_at', '?')}"


def compare(old: dict[str, Any], new: dict[str, Any]) -> ChangeSummary:
    """Compare two manifests."""
    summary = ChangeSummary(_label(old), _label(new), str(old.get("plan", {}).get("version", "?")))
    old_figures, new_figures = old.get("figures", {}), new.get("figures", {})
    for ident in sorted(set(old_figures) | set(new_figures)):
        before, after = old_figures.get(ident), new_figures.get(ident)
        shown_before = before["display"] if before else "(none)"
        shown_after = after["display"] if after else "(none)"
        if (
            before is None
            or after is None
            or before.get("value") != after.get("value")
            or before.get("rag") != after.get("rag")
        ):
            summary.figures.append((ident, shown_before, shown_after))
    old_sections, new_sections = old.get("sections", {}), new.get("sections", {})
    summary.sections = sorted(
        name
        for name in set(old_sections) | set(new_sections)
        if (old_sections.get(name) or {}).get("sha256") != (new_sections.get(name) or {}).get("sha256")
    )
    old_inputs, new_inputs = old.get("inputs", {}), new.get("inputs", {})
    summary.inputs = sorted(
        name for name in set(old_inputs) | set(new_inputs) if old_inputs.get(name) != new_inputs.get(name)
    )
    old_status, new_status = old.get("plan", {}).get("status"), new.get("plan", {}).get("status")
    if old_status != new_status:
        summary.status = (str(old_status), str(new_status))
    return summary
