"""What the notebooks use: an `Edition` (data, words, displays), the chart makers and the
analysis rules (`metrics`)."""

from analysis.report import charts, metrics
from analysis.report.edition import Edition

__all__ = ["Edition", "charts", "metrics"]
