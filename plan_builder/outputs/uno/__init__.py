"""Scripts run by LibreOffice's own Python (python3-uno), not by plan-builder's interpreter."""
