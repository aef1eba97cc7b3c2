"""The signoff part: its model (load, validate, compute) and its renderer."""
