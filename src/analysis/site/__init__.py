"""The report site: Quarto project configuration, the pandoc renderer and the PDF report."""

from analysis.site.build import build_site
from analysis.site.config import SITE

__all__ = ["SITE", "build_site"]
