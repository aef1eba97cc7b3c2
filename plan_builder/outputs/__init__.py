"""outputs: see the README's development section for the pipeline map."""
