"""Compile every django.po of the project into django.mo, with no need for GNU gettext."""

from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent
count = 0
for po_path in root.glob("**/locale/*/LC_MESSAGES/django.po"):
    if ".venv" in po_path.parts or "var" in po_path.parts:
        continue
    polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    count += 1
print(f"compiled {count} catalogues")
