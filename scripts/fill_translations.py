"""Fill English msgstr entries from a JSON file of {msgid: msgstr} and keep plural forms.

    .venv/bin/python scripts/fill_translations.py APP_OR_DOT translations.json

Entries not named stay as they are; the script prints what is still untranslated.
"""

import json
import sys
from pathlib import Path

import polib

target, source = sys.argv[1], sys.argv[2]
po_path = Path(target) / "locale/en/LC_MESSAGES/django.po"
catalogue = polib.pofile(str(po_path))
translations = json.loads(Path(source).read_text(encoding="utf-8"))
for entry in catalogue:
    if entry.msgid in translations:
        value = translations[entry.msgid]
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value, 1: value} if isinstance(value, str) else dict(enumerate(value))
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
catalogue.save()
left = [e.msgid for e in catalogue.untranslated_entries()] + [e.msgid for e in catalogue.fuzzy_entries()]
print(f"{po_path}: {len(left)} left", *left[:40], sep="\n  ")
