"""The budget part: its model (load, validate, compute) and its renderer."""
