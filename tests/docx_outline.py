"""Normalised document XML for comparing two builds: relationship ids and list numbers by meaning."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def normalised_body(path: Path) -> str:
    """document.xml's body with r:id/r:embed replaced by their targets and numIds by first use."""
    document = docx.Document(str(path))
    body = document.element.body
    rels = document.part.rels
    numbers: dict[str, str] = {}
    for node in body.iter():
        for attribute in (f"{{{R_NS}}}id", f"{{{R_NS}}}embed"):
            value = node.get(attribute)
            if value is not None:
                rel = rels[value]
                target = rel.target_ref if rel.is_external else hashlib.sha256(rel.target_part.blob).hexdigest()
                node.set(attribute, target)
        if node.tag == qn("w:numId"):
            value = node.get(qn("w:val"))
            numbers.setdefault(value, f"num{len(numbers)}")
            node.set(qn("w:val"), numbers[value])
        if node.tag == qn("wp:docPr"):
            node.set("id", "0")
    return re.sub(r'\s+name="Picture \d+"', "", etree.tostring(body, encoding="unicode"))
