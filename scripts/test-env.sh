#!/usr/bin/env bash
# Say, before the tests run, which real parts are present and what will be skipped.
if [ -x /usr/bin/chromium ]; then
  echo "browser: /usr/bin/chromium found — browser tests run."
elif [ "${REQUIRE_BROWSER:-0}" = 1 ]; then
  echo "browser: /usr/bin/chromium MISSING and REQUIRE_BROWSER=1 — browser tests will fail."
else
  echo "browser: /usr/bin/chromium not found — browser tests are SKIPPED (apt-get install chromium)."
fi
case "${DATABASE_URL:-}" in
  postgres*) echo "database: PostgreSQL (${DATABASE_URL##*@}) — PostgreSQL-only tests run." ;;
  *) echo "database: SQLite — PostgreSQL-only tests (locking, concurrency) are SKIPPED; set DATABASE_URL=postgres://… to run them." ;;
esac
