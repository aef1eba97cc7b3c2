"""plan-builder: assemble a YJB-format Youth Justice Plan as a Word document."""

__version__ = "0.1.0"
