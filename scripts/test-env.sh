#!/usr/bin/env bash
# Say, before the tests run, which real parts are present and what will be skipped.
if [ -x /usr/bin/chromium ]; then
  echo "browser: /usr/bin/chromium found — browser tests run."
elif [ "${REQUIRE_BROWSER:-0}" = 1 ]; then
  echo "browser: /usr/bin/chromium MISSING and REQUIRE_BROWSER=1 — browser tests will fail."
else
  echo "browser: /usr/bin/chromium not found — browser tests are SKIPPED (apt-get install chromium)."
fi
if command -v pdftotext >/dev/null && command -v zbarimg >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q .; then
  echo "pdf: Chinese font and poppler-utils found — printed documents are read back."
elif [ "${REQUIRE_PDF:-0}" = 1 ]; then
  echo "pdf: Chinese font, poppler-utils or zbar-tools MISSING and REQUIRE_PDF=1 — PDF tests will fail."
else
  echo "pdf: no Chinese font or no pdftotext — PDF tests are SKIPPED (apt-get install fonts-noto-cjk poppler-utils zbar-tools)."
fi
case "${DATABASE_URL:-}" in
  postgres*) echo "database: PostgreSQL (${DATABASE_URL##*@}) — PostgreSQL-only tests run." ;;
  *) echo "database: SQLite — PostgreSQL-only tests (locking, concurrency) are SKIPPED; set DATABASE_URL=postgres://… to run them." ;;
esac
