"""Changes a board can read: what differs between two builds of a plan, in words.

`align` lines up two sequences (sentences, paragraphs, table rows); `sentences` turns a
section's text into sentences and says which words changed; `record` is what a build
manifest keeps so that a later build can be compared with it; `compare` does the comparing
and `model` holds the result, which the changes page, `plan-builder diff` and the build
output show. Nothing here touches Word: the tracked-changes document is `word/revisions.py`.
"""
