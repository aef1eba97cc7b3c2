"""The rendered-section cache: a cached build is the same document; a change re-renders only its section."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_example_plan
from docx_outline import normalised_body

from plan_builder.outputs.fragments import FragmentCache
from plan_builder.pipeline import build

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def test_cached_build_is_the_same_document(tmp_path):
    plan = copy_example_plan(tmp_path)
    uncached = build(plan, tmp_path / "a", document="plan", fragments=FragmentCache(None))
    build(plan, tmp_path / "b", document="plan")  # fills the on-disk cache
    disk = FragmentCache(tmp_path / "b" / ".cache" / "fragments")
    cached = build(plan, tmp_path / "b", document="plan", fragments=disk)
    assert disk.misses == 0 and disk.hits == 21  # the cover and 20 sections
    assert normalised_body(cached.path) == normalised_body(uncached.path)


def rebuild_after(tmp_path, edit):
    """Build the example, apply `edit(plan)`, rebuild through the same cache; return (rebuild, cache, fresh build)."""
    plan = copy_example_plan(tmp_path)
    cache = FragmentCache(None)
    build(plan, tmp_path / "out", document="plan", fragments=cache)
    edit(plan)
    cache.hits = cache.misses = 0
    changed = build(plan, tmp_path / "out", document="plan", fragments=cache)
    fresh = build(plan, tmp_path / "fresh", document="plan", fragments=FragmentCache(None))
    return changed, cache, fresh


def test_a_data_change_re_renders_only_the_sections_that_show_it(tmp_path):
    def fewer_custodial_sentences(plan):
        csv = plan / "data" / "custody.csv"
        csv.write_text(
            csv.read_text().replace("2024-01-01,2024-12-31,Calderbrook,6,", "2024-01-01,2024-12-31,Calderbrook,4,")
        )

    changed, cache, fresh = rebuild_after(tmp_path, fewer_custodial_sentences)
    # Only the performance section changes: later sections start from the same figure and
    # table numbers as before (no table was added or removed), so they are reused. Inside it,
    # the summary table and the custody chart are redrawn; the KPI table, the local indicator's
    # chart and the other two national charts (with their data tables) are reused.
    assert cache.misses == 3
    assert cache.hits == 20 + 4
    assert normalised_body(changed.path) == normalised_body(fresh.path)


def test_a_narrative_edit_re_renders_that_section(tmp_path):
    def one_more_sentence(plan):
        section = plan / "sections" / "03-child-first.md"
        section.write_text(section.read_text() + "\nOne more sentence.\n")

    changed, cache, fresh = rebuild_after(tmp_path, one_more_sentence)
    assert cache.misses == 1
    assert normalised_body(changed.path) == normalised_body(fresh.path)


def test_cache_prunes_entries_no_build_has_used_for_a_month(tmp_path):
    import os
    import time

    from plan_builder.outputs.cache import ImageCache, prune_cache, seal

    now = time.time()
    day = 86400
    folder = tmp_path / "cache"
    old, used, recent, fragment = ("ab" + c * 62 for c in "1234")
    entries = {
        f"ab/{old}.png": now - 40 * day,
        f"ab/{used}.png": now - 40 * day,  # old, but read again below
        f"ab/{recent}.png": now - 2 * day,
        f"fragments/ab/{fragment}.json": now - 31 * day,
        f"ab/{old}.png.123-4.partial": now - 2 * 3600,
        f"ab/{recent}.png.123-5.partial": now - 60,
        # Not cache entries: a shared folder's other files are never touched, however old.
        "notes/thesis.txt": now - 60 * day,
        "todo.md": now - 40 * day,
        f"ab/{old}.txt": now - 60 * day,
    }
    for name, mtime in entries.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(seal(b"x"))
        os.utime(path, (mtime, mtime))
    assert ImageCache(folder).get_or_render(used, lambda: b"new") == b"x"  # a hit refreshes its time

    assert prune_cache(folder, now=now) == 3
    left = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert left == sorted(
        [
            ".plan-builder-pruned",
            f"ab/{used}.png",
            f"ab/{recent}.png",
            f"ab/{recent}.png.123-5.partial",
            "notes/thesis.txt",
            "todo.md",
            f"ab/{old}.txt",
        ]
    )
    # At most once a day: a second call soon after does not walk the folder again.
    stale = folder / "ab" / f"{'ab' + 'f' * 62}.png"
    stale.write_bytes(b"x")
    os.utime(stale, (now - 90 * day, now - 90 * day))
    assert prune_cache(folder, now=now + 3600) == 0
    assert prune_cache(folder, now=now + 25 * 3600) == 2  # and the partial file, now over an hour old


def test_pruning_never_fails_a_build(tmp_path):
    from plan_builder.outputs.cache import prune_cache

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert prune_cache(not_a_folder) == 0
    assert prune_cache(tmp_path / "missing") == 0


def _template_with_caption_id(source: Path, target: Path, style_id: str) -> None:
    """A copy of the plan template whose Caption style has another id (as a localised Word template has)."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/styles.xml":
                data = data.replace(b'w:styleId="Caption"', f'w:styleId="{style_id}"'.encode())
            new.writestr(item, data)


def test_cached_blocks_follow_a_change_of_template(tmp_path):
    import docx
    from docx.oxml.ns import qn

    def other_template(plan):
        _template_with_caption_id(
            plan / "templates" / "plan-template.docx", plan / "templates" / "council.docx", "Lgende"
        )
        manifest = plan / "plan.yaml"
        manifest.write_text(manifest.read_text() + "template: templates/council.docx\n")

    changed, _, fresh = rebuild_after(tmp_path, other_template)
    document = docx.Document(str(changed.path))
    defined = {style.get(qn("w:styleId")) for style in document.styles.element.iterfind(qn("w:style"))}
    used = {node.get(qn("w:val")) for node in document.element.body.iter(qn("w:pStyle"))}
    assert "Lgende" in used
    assert used <= defined, used - defined
    assert normalised_body(changed.path) == normalised_body(fresh.path)


def test_a_cached_build_ends_its_last_section_as_a_cold_build_does(tmp_path):
    # A template whose section has a different first page (w:titlePg): the landscape blocks
    # rewrite the body's last section properties, which a cached section must bring back too.
    import io
    import zipfile

    plan = copy_example_plan(tmp_path)
    template = plan / "templates" / "plan-template.docx"
    source, buffer = zipfile.ZipFile(template), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as changed:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:docGrid", b"<w:titlePg/><w:docGrid", 1)
            changed.writestr(item, data)
    template.write_bytes(buffer.getvalue())
    cold = build(plan, tmp_path / "out", document="plan")
    cold_xml = zipfile.ZipFile(cold.path).read("word/document.xml")
    disk = FragmentCache(tmp_path / "out" / ".cache" / "fragments")
    cached = build(plan, tmp_path / "out", document="plan", fragments=disk)
    assert disk.misses == 0
    assert zipfile.ZipFile(cached.path).read("word/document.xml") == cold_xml
