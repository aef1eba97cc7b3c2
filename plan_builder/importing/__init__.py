"""`plan-builder import`: a Word plan (.docx) brought into a plan folder as Markdown sections."""
