"""The chart bundles, dated with the edition's data date."""

from __future__ import annotations

import json
import zipfile
from datetime import date

EDITION = 2025  # the edition the `built` fixture builds


def data_date(built) -> str:
    """The edition's data date as the data product publishes it (its version)."""
    descriptor = built.data / "processed" / "datapackage.json"
    return json.loads(descriptor.read_text(encoding="utf-8"))["version"]


def test_chart_bundles_are_dated_with_the_edition_data_date(built):
    dated = date.fromisoformat(data_date(built)).timetuple()[:3]
    bundles = sorted((built.site / "charts" / str(EDITION)).glob("*.zip"))
    assert bundles
    for bundle in bundles:
        with zipfile.ZipFile(bundle) as zf:
            assert {info.date_time for info in zf.infolist()} == {(*dated, 0, 0, 0)}, bundle.name
