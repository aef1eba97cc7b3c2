"""The standards part: its model (load, validate, compute) and its renderer."""
