"""Rebuild festival/data/communes.csv.gz, the official list of French communes the report
matches typed towns against, from the `@etalab/decoupage-administratif` npm package (its
data: INSEE's Code officiel géographique, Licence Ouverte 2.0).

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-*.tgz
    python tools/make_communes.py package/data/communes.json
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "festival" / "data" / "communes.csv.gz"


def main(source: str) -> None:
    communes = json.loads(Path(source).read_text(encoding="utf-8"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["code", "nom", "codes_postaux"])
    for commune in sorted(communes, key=lambda c: c["code"]):
        if commune.get("type") != "commune-actuelle":
            continue
        postcodes = " ".join(commune.get("codesPostaux", []))
        writer.writerow([commune["code"], commune["nom"], postcodes])
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(TARGET, "wb", mtime=0) as out:  # byte-identical when rebuilt
        out.write(buffer.getvalue().encode("utf-8"))


if __name__ == "__main__":
    main(sys.argv[1])
