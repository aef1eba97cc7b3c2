"""The performance part: its model (load, validate, compute) and its renderer."""
