#!/usr/bin/env bash
# Regenerate translation catalogues.
#   scripts/messages.sh            every catalogue (project-level and each app's own locale/)
#   scripts/messages.sh APP        only APP/locale (safe while others edit other apps)
# Source strings are Chinese (zh-hans is the default language); locale/en holds English.
# Then translate the empty msgstr entries of */locale/en and run compilemessages.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$PWD/.venv/bin/python}
export DJANGO_SETTINGS_MODULE=portal.settings PYTHONPATH=$PWD
opts=(-l en -l zh_Hans --no-location --no-obsolete --ignore='.venv/*' --ignore='var/*' --ignore='static/*' --ignore='bench/*' --ignore='tests/*')
if [ $# -gt 0 ]; then
  (cd "$1" && mkdir -p locale && "$PY" -P -m django makemessages "${opts[@]}")
else
  "$PY" manage.py makemessages "${opts[@]}"
fi
