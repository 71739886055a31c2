"""The bundled code tables, read as plain rows (used by the data migration and ``load_codes``).

``regions.csv``: Guangdong province, its 21 prefecture-level cities and Jiangmen's seven county-level divisions
(GB/T 2260; extend it for other cities). ``industries.csv``: the 20 sections (门类) and 97 divisions (大类) of
GB/T 4754-2017; ``import_industries`` loads the full table (中类, 小类) from the official Excel file.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).parent


def read_rows(name: str) -> list[dict[str, str]]:
    """The rows of ``<name>.csv``, parents before children (the files are written in that order)."""
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
