"""Structured parts of a plan read from YAML: the shared contract every such module follows.

Each structured part (risk register, budget, National Standards, action plan,
staffing, glossary) lives in its own module with:

- a pydantic schema (`StrictModel`, unknown keys are errors),
- `load_<part>(path, display, plan) -> <Part>`: read, validate, compute
  (scores, totals, counts); problems that stop the build raise `ConfigError`
  naming file:line, the item (risk title, action reference, agency) and field,
- `warnings` on the result for problems that do not stop the build
  (a stated total that disagrees, an overdue action...), each naming file:line,
- `<part>_directives(part, plan) -> dict[str, Directive]`: block renderers for
  `::: name` lines in sections, drawing with `markdown_render.start_table`,
  `add_body_row`, `add_caption`, `fit_columns` and `document.begin_landscape`.

The pipeline loads whichever parts `plan.yaml` lists under `structured:` and places
each part's blocks automatically in its YJB section unless the author placed them.
"""

from __future__ import annotations

from collections.abc import Callable

from plan_builder.markdown_render import RenderContext

Directive = Callable[[RenderContext, str, str], None]
