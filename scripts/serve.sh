#!/usr/bin/env bash
# Serve the planning graph ("planner" in langgraph.json) with `langgraph dev` on 127.0.0.1:2024 (or $PORT).
# No analytics, no version check, no browser; the log goes outside the project, because the
# dev server watches the project tree. PORT=8123 changes the port; extra arguments go to `langgraph dev`.
# The server rejects blocking I/O in async nodes; genai_planner/run/served.py reads every data file at
# import. Each run writes its folder under $GENAI_PLANNER_HOME (default ./runs) when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANGGRAPH_CLI_NO_ANALYTICS=1 LANGGRAPH_NO_VERSION_CHECK=1
PORT="${PORT:-2024}"
LOG="${GENAI_PLANNER_SERVER_LOG:-/tmp/genai-planner-server.log}"
# langgraph dev silently moves to another port when this one is taken: refuse instead.
if ! python -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))" "$PORT" 2>/dev/null; then
  echo "port $PORT on 127.0.0.1 is in use; set PORT=... to pick another" >&2
  exit 1
fi
echo "langgraph dev on http://127.0.0.1:$PORT (log: $LOG)"
exec langgraph dev --no-browser --no-reload --host 127.0.0.1 --port "$PORT" "$@" >"$LOG" 2>&1
