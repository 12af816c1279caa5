#!/bin/sh
# A client's subscription flow, end to end, against a running sandbox:
# mine1 asks to see mine's presence, and the client logged in as mine
# must answer with subscribed (RFC 6121 §3.1.5).
#
# Start the sandbox (make run), log your client in as mine (password
# mine), then run this script and accept the request in the client. It
# exits 0 when the client answered subscribed, 1 when it did not within
# the timeout (listing what came closest), and 1 at once when no client
# is logged in as mine.
#
# Environment: XMPPSANDBOX (the binary; default: xmppsandbox on the PATH,
# else bin/xmppsandbox next to this directory), XMPPSANDBOX_SERVER (the
# admin API, default http://127.0.0.1:5280), TIMEOUT (how long to wait
# for the answer; default 30s, time enough to click accept).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
xs=${XMPPSANDBOX:-}
if [ -z "$xs" ]; then
	if command -v xmppsandbox >/dev/null 2>&1; then
		xs=xmppsandbox
	elif [ -x "$here/../bin/xmppsandbox" ]; then
		xs=$here/../bin/xmppsandbox
	else
		echo "subscription.sh: xmppsandbox not found: run make build, or set XMPPSANDBOX" >&2
		exit 1
	fi
fi

# mine must have an available resource: a request reaches only those
# (RFC 6121 §3.1.3). awk reads the sessions one JSON object at a time.
if ! sessions=$("$xs" sessions --json); then
	exit 1 # the command has said why (most often: the sandbox is not running)
fi
if ! printf '%s\n' "$sessions" | awk '
	/"user": "mine"/ { user = 1 }
	/"available": true/ { available = 1 }
	/}/ { if (user && available) found = 1; user = 0; available = 0 }
	END { exit !found }'; then
	echo "subscription.sh: no client is online as mine: log one in (password mine) and send initial presence, then run this again" >&2
	exit 1
fi

# Back to the fixtures, keeping the client connected; mine and mine1
# start as strangers.
"$xs" reset --keep-sessions

# Note the trace's position before acting, so the answer cannot be missed
# however quickly the client sends it.
seq=$("$xs" expect --seq)
"$xs" inject presence --from mine1 --to mine --type subscribe
echo "mine1 asked to subscribe to mine; waiting ${TIMEOUT:-30s} for the client's answer..."

if ! "$xs" expect --since "$seq" --dir in --from mine --to mine1 --kind presence --type subscribed --timeout "${TIMEOUT:-30s}"; then
	echo "FAIL: the client did not approve mine1's request" >&2
	exit 1
fi
echo "PASS: the client approved; mine's roster now:"
"$xs" roster list mine
