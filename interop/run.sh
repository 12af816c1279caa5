#!/usr/bin/env bash
# Interoperability checks: real clients from Debian's packages (slixmpp,
# go-sendxmpp) and from npm (@xmpp/client, over WebSocket) against a
# freshly started xmppsandbox.
#
# Usage: interop/run.sh BINARY
#
# Each check prints one summary line; the last line reads
# "interop: N passed, M failed" and the exit status is non-zero when any
# check failed. Logs (the XML of every client, the server's output) go to
# INTEROP_LOGS, bin/interop by default.
set -euo pipefail

# The checks' time limits add up to well under two minutes, so a hung
# client or server cannot stall a CI run.
readonly START_DEADLINE=10
readonly CHECK_TIMEOUT=25
# SCRIPT_TIMEOUT lets a script report what it was waiting for before
# timeout(1) has to kill it.
readonly SCRIPT_TIMEOUT=20
readonly INSTALL_TIMEOUT=240
# JS_TIMEOUT bounds the WebSocket check the same way SCRIPT_TIMEOUT does
# the Python ones.
readonly JS_TIMEOUT=15
readonly PYTHON=/usr/bin/python3
readonly DOMAIN=localhost
# Keep the scripts from leaving __pycache__ beside them.
export PYTHONDONTWRITEBYTECODE=1

here=$(cd "$(dirname "$0")" && pwd)
binary=${1:?usage: interop/run.sh BINARY}
case $binary in /*) ;; *) binary=$PWD/$binary ;; esac
cd "$here/.."
logs=${INTEROP_LOGS:-bin/interop}
work=""
server_pid=""
js_problem=""
node_flags=()
passed=0
failed=0

cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    local deadline=$((SECONDS + 5))
    while kill -0 "$server_pid" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        kill -9 "$server_pid" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
  fi
  if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
# Signals end the script through exit, so the EXIT trap stops the server.
trap 'exit 130' INT
trap 'exit 143' TERM

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# install_missing installs the Debian packages the checks need, once.
install_missing() {
  local packages=()
  "$PYTHON" -c 'from slixmpp import ClientXMPP' 2>/dev/null || packages+=(python3-slixmpp)
  command -v go-sendxmpp >/dev/null || packages+=(go-sendxmpp)
  [ ${#packages[@]} -eq 0 ] && return 0
  echo "interop: installing ${packages[*]}"
  as_root timeout "$INSTALL_TIMEOUT" apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive \
    timeout "$INSTALL_TIMEOUT" apt-get install -y -qq "${packages[@]}" >/dev/null
}

write_fixtures() {
  cat >"$work/fixtures/users.yaml" <<EOF
domain: $DOMAIN
users:
  mine:    {password: mine}
  mine1:   {password: mine1, auto_accept: true}
  admin:   {password: admin}
  lihengz: {password: lihengz}
EOF
}

# start_server runs the sandbox on free loopback ports and sets c2s_addr
# and http_addr from the "c2s listening on HOST:PORT" and "http listening
# on HOST:PORT" lines it prints once it accepts.
start_server() {
  : >"$logs/server.out"
  "$binary" serve --fixtures "$work/fixtures" --db :memory: \
    --c2s 127.0.0.1:0 --http 127.0.0.1:0 --no-watch \
    >"$logs/server.out" 2>"$logs/server.err" &
  server_pid=$!
  local deadline=$((SECONDS + START_DEADLINE)) line="" http=""
  while [ $SECONDS -lt $deadline ]; do
    line=$(grep -m1 '^c2s listening on ' "$logs/server.out" || true)
    http=$(grep -m1 '^http listening on ' "$logs/server.out" || true)
    if [ -n "$line" ] && [ -n "$http" ]; then
      c2s_addr=${line#c2s listening on }
      http_addr=${http#http listening on }
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    echo "FAIL server start: no c2s and http addresses within ${START_DEADLINE}s"
  else
    echo "FAIL server start: the server exited"
  fi
  echo "---- first lines of $logs/server.err" >&2
  head -n 15 "$logs/server.err" >&2 || true
  return 1
}

# prepare_js installs @xmpp/client as interop/js/package-lock.json pins it,
# when node_modules is missing or older than the lock file, and sets
# node_flags to what Node needs for a global WebSocket (Node 20 keeps it
# behind a flag). When the check cannot run it says why in js_problem.
prepare_js() {
  local dir=$here/js
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    js_problem="node and npm are not installed"
    return 1
  fi
  # @xmpp/client 0.14 declares node >= 20.10.
  if ! timeout 10 node -e 'const [a, b] = process.versions.node.split(".").map(Number);
      process.exit(a > 20 || (a === 20 && b >= 10) ? 0 : 1)'; then
    js_problem="node $(node --version) is older than 20.10"
    return 1
  fi
  # npm keeps a copy of the lock it installed in node_modules.
  local installed=$dir/node_modules/.package-lock.json
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$installed" ]; then
    echo "interop: installing @xmpp/client with npm ci"
    if ! (cd "$dir" && timeout "$INSTALL_TIMEOUT" npm ci --no-audit --no-fund) \
      >"$logs/npm_ci.log" 2>&1; then
      js_problem="npm ci failed; log: $logs/npm_ci.log"
      return 1
    fi
  fi
  if ! timeout 10 node -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)'; then
    node_flags=(--experimental-websocket)
  fi
}

# check NAME LOG COMMAND... runs one check under a time limit and counts it.
check() {
  local name=$1 log=$2 status=0
  shift 2
  timeout -k 5 "$CHECK_TIMEOUT" "$@" --log "$log" || status=$?
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "PASS $name"
    return
  fi
  failed=$((failed + 1))
  [ "$status" -eq 124 ] && echo "$name: killed after ${CHECK_TIMEOUT}s" >&2
  echo "FAIL $name (exit $status; log: $log)"
  if [ -s "$log" ]; then
    echo "---- last lines of $log" >&2
    tail -n 30 "$log" >&2
  fi
}

main() {
  install_missing
  rm -rf "$logs"
  mkdir -p "$logs"
  work=$(mktemp -d)
  mkdir "$work/fixtures"
  write_fixtures
  if ! start_server; then
    echo "interop: 0 passed, 1 failed"
    exit 1
  fi
  local addr=(--host "${c2s_addr%:*}" --port "${c2s_addr##*:}" --domain "$DOMAIN"
    --timeout "$SCRIPT_TIMEOUT")
  echo "interop: server at $c2s_addr, http at $http_addr"
  check "slixmpp message" "$logs/slixmpp_message.log" \
    "$PYTHON" "$here/slixmpp_message.py" "${addr[@]}" --sender slixmpp
  check "go-sendxmpp message" "$logs/go_sendxmpp_message.log" \
    "$PYTHON" "$here/slixmpp_message.py" "${addr[@]}" --sender go-sendxmpp
  check "slixmpp subscribe" "$logs/slixmpp_subscribe.log" \
    "$PYTHON" "$here/slixmpp_subscribe.py" "${addr[@]}"
  if prepare_js; then
    check "js websocket" "$logs/js_websocket.log" \
      node "${node_flags[@]}" "$here/js/ws_client.mjs" \
      --url "ws://$http_addr/xmpp-websocket" --host "${c2s_addr%:*}" \
      --port "${c2s_addr##*:}" --domain "$DOMAIN" --python "$PYTHON" \
      --timeout "$JS_TIMEOUT"
  else
    failed=$((failed + 1))
    echo "FAIL js websocket ($js_problem)"
  fi
  echo "interop: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

main
