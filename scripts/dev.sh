#!/usr/bin/env bash
# Run the portal locally with demo data: http://127.0.0.1:8000
# Works with nothing installed but Python 3.11+: SQLite, tasks in-process, e-mail on the console.
# Set DATABASE_URL / REDIS_URL to use PostgreSQL and Redis instead.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
export DEBUG=${DEBUG:-true}
.venv/bin/python scripts/compile_messages.py
.venv/bin/python manage.py migrate --noinput -v0
# PDFs (准考证, 签到表, 报名登记表) embed a CJK TrueType font: Debian's fonts-wqy-zenhei, found
# by portal/pdf.py (or PDF_CJK_FONT=/path/to/font.ttc). Installed here when running as root
# with apt-get; otherwise the portal still runs and the PDF pages say what is missing.
font_ok() { .venv/bin/python manage.py shell -v0 -c "from portal.pdf import cjk_font; cjk_font()" >/dev/null 2>&1; }
if ! font_ok; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get install -y -qq fonts-wqy-zenhei >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei; } >/dev/null 2>&1) || true
  fi
  font_ok || echo "note: no CJK TrueType font, PDFs cannot be made until one is installed: sudo apt-get install fonts-wqy-zenhei" >&2
fi
.venv/bin/python manage.py seed_demo
exec .venv/bin/python manage.py runserver "${PORT_BIND:-127.0.0.1:8000}"
