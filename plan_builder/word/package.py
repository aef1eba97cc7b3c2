"""Document-level parts Word checks on opening: settings.xml and the styles parts.

Word shows its "unreadable content ... repair" prompt for XML its schema does not
allow, and for a `stylesWithEffects` part that disagrees with `styles.xml`. Everything
plan-builder adds to these parts goes through here, in schema order, so a built plan
opens cleanly whichever template it started from.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn

if TYPE_CHECKING:
    from docx.document import Document

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

# The sequence of w:settings children (ECMA-376 Part 1, 17.15.1.78, CT_Settings).
_SETTINGS_TAGS = """
    writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries
    displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData
    embedTrueTypeFonts embedSystemFonts saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges
    bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors
    activeWritingStyle proofState formsDesign attachedTemplate linkStyles stylePaneFormatFilter
    stylePaneSortMethod documentType mailMerge revisionView trackRevisions doNotTrackMoves doNotTrackFormatting
    documentProtection autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation
    consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength clickAndTypeStyle
    defaultTableStyle evenAndOddHeaders bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets
    drawingGridHorizontalSpacing drawingGridVerticalSpacing displayHorizontalDrawingGridEvery
    displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin
    drawingGridVerticalOrigin doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne
    strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema
    saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml saveXmlDataOnly
    useXSLTWhenSaving saveThroughXslt showXMLTags alwaysMergeEmptyNamespace updateFields hdrShapeDefaults
    footnotePr endnotePr compat docVars rsids m:mathPr attachedSchema themeFontLang clrSchemeMapping
    doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType
    sl:schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator
"""
SETTINGS_ORDER = tuple(qn(tag if ":" in tag else f"w:{tag}") for tag in _SETTINGS_TAGS.split())


def insert_in_sequence(parent: Any, child: Any, order: tuple[str, ...]) -> Any:
    """Put `child` where the schema's `order` says among `parent`'s children, and return it.

    Children the order does not name (extensions such as w14:docId, which the schema allows
    only at the end) never count as coming before `child`, so it goes before them.
    """
    rank = {tag: index for index, tag in enumerate(order)}
    mine = rank[child.tag]
    later = next((c for c in parent if rank.get(c.tag, len(order)) > mine), None)
    if later is None:
        parent.append(child)
    else:
        later.addprevious(child)
    return child


def set_update_fields_on_open(document: Document) -> None:
    """Ask Word to refresh fields (contents, page numbers) when the document is opened."""
    settings = document.settings.element
    existing = settings.find(qn("w:updateFields"))
    if existing is None:
        existing = insert_in_sequence(settings, settings.makeelement(qn("w:updateFields")), SETTINGS_ORDER)
    existing.set(qn("w:val"), "true")


def make_word_ready(document: Document) -> None:
    """Tidy the parts Word validates on opening, whatever template the document came from.

    The zoom gets the percentage the schema requires, and the Word 2010 `stylesWithEffects`
    part is dropped: Word reads `styles.xml` alone (and writes no such part since 2013), but
    treats a copy that no longer matches the styles (as after adding any style) as damage.
    A document without a theme (LibreOffice writes none) gets Office's default one, which the
    schema requires of a Word document. Pictures get ids of their own across the body and every
    header and footer (a template's logo is copied into one header per page width).
    """
    settings = document.settings.element
    zoom = settings.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            part.drop_rel(rel_id)
    if not any(rel.reltype == RT.THEME for rel in part.rels.values()):
        theme = Part(PackURI("/word/theme/theme1.xml"), CT.OFC_THEME, _default_theme(), part.package)
        part.relate_to(theme, RT.THEME)
    _unique_picture_ids(document)


def _unique_picture_ids(document: Document) -> None:
    """Give every drawing (wp:docPr) an id no other drawing in the document has; Word repairs duplicates."""
    elements = [document.element]
    elements += [
        rel.target_part.element
        for rel in document.part.rels.values()
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external
    ]
    drawings = [node for element in elements for node in element.iter(DOC_PR)]
    used: set[str] = set()
    next_id = max((int(d.get("id")) for d in drawings if (d.get("id") or "").isdigit()), default=0) + 1
    for drawing in drawings:
        if drawing.get("id") in used or not (drawing.get("id") or "").isdigit():
            drawing.set("id", str(next_id))
            next_id += 1
        used.add(drawing.get("id"))


DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


@functools.cache
def _default_theme() -> bytes:
    """The Office theme of python-docx's default document."""
    import docx

    main = docx.Document().part
    return bytes(next(rel.target_part.blob for rel in main.rels.values() if rel.reltype == RT.THEME))
