#!/usr/bin/env bash
# Start the web server and a Huey consumer together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Links in e-mails and messages point here (the worker renders them, so both need it).
export PUBLIC_URL=${PUBLIC_URL:-http://$HOST:$PORT}

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped."
}
trap stop INT TERM EXIT

"$PY" manage.py run_huey --workers 2 --flush-locks &
pids+=($!)
.venv/bin/gunicorn aftersales.config.wsgi:application \
  --bind "$HOST:$PORT" --workers "${WEB_WORKERS:-3}" --access-logfile - &
pids+=($!)
echo "aftersales is running at http://$HOST:$PORT/ (Ctrl-C stops it)"
wait -n "${pids[@]}"
