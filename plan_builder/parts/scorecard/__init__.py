"""The local indicators' scorecard and breakdowns (computed in `figures/scorecard.py`)."""
