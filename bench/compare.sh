#!/usr/bin/env bash
# compare.sh BIN: measures the sandbox (BIN), Prosody and ejabberd side by
# side with `xmppsandbox load`, the same users and rosters on each, every
# server on a loopback port of its own, the scenarios interleaved (one
# server after the other) over ROUNDS rounds; then the sandbox alone with
# a seeded database of 100,000 users. It prints every figure's median per
# server and the ratios, and leaves nothing running.
#
# Environment: ROUNDS (default 3); BUDGET in seconds (default 840): past
# it no scenario starts on the three servers, and 180 s later none on the
# seeded sandbox, which bounds the whole run to about 17 minutes (a
# 2-core machine takes about 13); KEEP=1 keeps the work directory.
set -euo pipefail

BIN=$(realpath "${1:?usage: compare.sh path/to/xmppsandbox}")
HERE=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${ROUNDS:-3}
BUDGET=${BUDGET:-840}
SEEDED_BUDGET=$((BUDGET + 180))
DOMAIN=localhost
SANDBOX_PORT=10222
PROSODY_PORT=15222
EJABBERD_PORT=25222
EJABBERD_DIST_PORT=25299
IDLE_CONNS=5000
WORK=$(mktemp -d /tmp/xmppsandbox-bench.XXXXXX)
RESULTS=$WORK/results.jsonl
STORE_RESULTS=$WORK/store-results.jsonl
STARTED=$SECONDS
declare -A PID=()     # server name → process group leader we started
declare -A MEASURE=() # server name → process whose CPU and memory count

log() { printf '== %s (%ds)\n' "$*" $((SECONDS - STARTED)) >&2; }

# stop_group ends a process group we started, by its leader's PID, and
# waits (bounded) until none of its processes is left: an Erlang VM
# outlives the script that started it.
stop_group() {
	local pid=$1
	kill -TERM -- "-$pid" 2>/dev/null || return 0
	for _ in $(seq 150); do
		pgrep -g "$pid" >/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
		sleep 0.1
	done
	kill -KILL -- "-$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	for name in "${!PID[@]}"; do
		stop_group "${PID[$name]}"
	done
	if [ "${KEEP:-}" = 1 ]; then
		echo "work directory kept: $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# install gets Debian's packages; a first ejabberd install can fail half
# way and succeed when repeated.
install() {
	if command -v prosody >/dev/null && command -v ejabberdctl >/dev/null; then
		return
	fi
	local fresh_prosody=1 fresh_ejabberd=1
	command -v prosody >/dev/null && fresh_prosody=0
	command -v ejabberdctl >/dev/null && fresh_ejabberd=0
	log "installing prosody and ejabberd"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q prosody
	apt-get install -y -q ejabberd || apt-get install -y -q ejabberd
	# Services the install just started would hold the default ports; ones
	# that were there before are someone's and are left alone.
	if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
		[ $fresh_prosody = 1 ] && systemctl disable --now prosody || true
		[ $fresh_ejabberd = 1 ] && systemctl disable --now ejabberd || true
	fi
}

# start NAME COMMAND...: starts a server in a session of its own.
start() {
	local name=$1
	shift
	setsid "$@" >"$WORK/$name.out" 2>&1 &
	PID[$name]=$!
	MEASURE[$name]=$!
}

# wait_login NAME PORT: waits (bounded) until a user can log in.
wait_login() {
	for _ in $(seq 300); do
		"$BIN" load login --addr "127.0.0.1:$2" --logins 1 --timeout 2s >/dev/null 2>&1 && return 0
		kill -0 "${PID[$1]}" 2>/dev/null || break
		sleep 0.2
	done
	echo "$1 did not start; its output:" >&2
	tail -20 "$WORK/$1.out" >&2
	return 1
}

# The sandbox serves the population from its database, as Prosody and
# ejabberd serve theirs from their stores; sandbox-fixtures loads the same
# users from a fixture file at start, the sandbox's other way in.
sandbox_cmd() {
	echo "$BIN serve --db $WORK/pop/sandbox/users.db --fixtures $WORK/no-fixtures --c2s 127.0.0.1:$SANDBOX_PORT --http 127.0.0.1:0 --no-watch"
}

sandbox_fixtures_cmd() {
	echo "$BIN serve --db :memory: --fixtures $WORK/pop/sandbox --c2s 127.0.0.1:$SANDBOX_PORT --http 127.0.0.1:0 --no-watch"
}

prosody_setup() {
	local dir=$WORK/prosody
	mkdir -p "$dir/certs"
	cp -r "$WORK/pop/prosody" "$dir/data"
	sed -e "s|@DIR@|$dir|g; s|@PORT@|$PROSODY_PORT|g; s|@DOMAIN@|$DOMAIN|g" \
		"$HERE/prosody.cfg.lua" >"$dir/prosody.cfg.lua"
}

prosody_cmd() { echo "prosody --config $WORK/prosody/prosody.cfg.lua -F"; }

ejabberd_setup() {
	local dir=$WORK/ejabberd
	mkdir -p "$dir/spool" "$dir/log"
	echo '{lookup, [file, native]}.' >"$dir/inetrc"
	sed -e "s|@PORT@|$EJABBERD_PORT|g; s|@DOMAIN@|$DOMAIN|g" "$HERE/ejabberd.yml" >"$dir/ejabberd.yml"
	sed -e "s|@DISTPORT@|$EJABBERD_DIST_PORT|g; s|@NODE@|xmppsandbox-bench@localhost|g" \
		"$HERE/ejabberdctl.cfg" >"$dir/ejabberdctl.cfg"
}

ejabberdctl_in() {
	local dir=$WORK/ejabberd
	timeout 300 ejabberdctl --config-dir "$dir" --config "$dir/ejabberd.yml" --ctl-config "$dir/ejabberdctl.cfg" \
		--logs "$dir/log" --spool "$dir/spool" "$@"
}

ejabberd_cmd() {
	local dir=$WORK/ejabberd
	echo "ulimit -n 20000; exec ejabberdctl --config-dir $dir --config $dir/ejabberd.yml --ctl-config $dir/ejabberdctl.cfg --logs $dir/log --spool $dir/spool foreground"
}

# ejabberd_provision imports the users and rosters (XEP-0227) into the
# Mnesia spool once; the runs that follow reuse it.
ejabberd_provision() {
	start ejabberd sh -c "$(ejabberd_cmd)"
	wait_login_any ejabberd
	log "importing into ejabberd"
	ejabberdctl_in import_piefxis "$WORK/pop/ejabberd/users.xml"
	stop_group "${PID[ejabberd]}"
	unset 'PID[ejabberd]'
}

# wait_login_any waits for ejabberd's node to answer, before any user exists.
wait_login_any() {
	for _ in $(seq 120); do
		(ejabberdctl_in status >/dev/null 2>&1) && return 0
		sleep 0.5
	done
	echo "ejabberd did not start" >&2
	tail -20 "$WORK/ejabberd.out" >&2
	return 1
}

# beam_of finds the Erlang VM under ejabberdctl: its CPU and memory are
# ejabberd's.
beam_of() {
	local child
	for _ in $(seq 50); do
		child=$(pgrep -P "$1" | head -1 || true)
		[ -n "$child" ] && { echo "$child"; return; }
		sleep 0.1
	done
	echo "$1"
}

port_of() {
	case $1 in
	sandbox | sandbox-fixtures) echo $SANDBOX_PORT ;;
	prosody) echo $PROSODY_PORT ;;
	ejabberd) echo $EJABBERD_PORT ;;
	esac
}

# run SCENARIO SERVER FLAGS...: one scenario against one server.
run() {
	local scenario=$1 server=$2
	shift 2
	"$BIN" load "$scenario" --json --server "$server" --addr "127.0.0.1:$(port_of "$server")" \
		--domain "$DOMAIN" --timeout 150s "$@" | tee -a "$RESULTS" || true
}

run_measured() {
	local scenario=$1 server=$2
	shift 2
	run "$scenario" "$server" --pid "${MEASURE[$server]}" "$@"
}

ready_rounds() {
	for round in $(seq "$ROUNDS"); do
		over_budget "$BUDGET" "ready, round $round" && break
		log "ready, round $round"
		run ready sandbox --exec "$(sandbox_cmd)" --repeat 3
		run ready sandbox-fixtures --exec "$(sandbox_fixtures_cmd)" --repeat 3
		run ready prosody --exec "$(prosody_cmd)" --repeat 3
		run ready ejabberd --exec "$(ejabberd_cmd)" --repeat 3
	done
}

# start_server NAME: starts one of the three and waits until it serves.
start_server() {
	case $1 in
	sandbox) start sandbox sh -c "exec $(sandbox_cmd)" ;;
	prosody) start prosody sh -c "exec $(prosody_cmd)" ;;
	ejabberd) start ejabberd sh -c "$(ejabberd_cmd)" ;;
	esac
	wait_login "$1" "$(port_of "$1")"
	if [ "$1" = ejabberd ]; then
		MEASURE[ejabberd]=$(beam_of "${PID[ejabberd]}")
	fi
}

# restart_server NAME: memory per connection is measured on a server that
# has not yet served the other scenarios, whose freed memory a runtime
# keeps and would hand to the new connections.
restart_server() {
	stop_group "${PID[$1]}"
	unset "PID[$1]"
	start_server "$1"
}

start_all() {
	for s in sandbox prosody ejabberd; do
		start_server "$s"
	done
}

# over_budget LIMIT WHAT reports (and logs) that LIMIT seconds are spent.
over_budget() {
	local limit=$1
	shift
	if [ $((SECONDS - STARTED)) -gt "$limit" ]; then
		log "time budget spent: skipping $*"
		return 0
	fi
	return 1
}

# block ROUND LABEL SCENARIO FLAGS...: one scenario on the three servers,
# in an order that turns with the round, so that no server always runs
# right after another's heaviest work. Each starts once the machine is
# quiet.
block() {
	local round=$1 label=$2 scenario=$3
	shift 3
	over_budget "$BUDGET" "$label, round $round" && return
	for s in $(rotated "$round" sandbox prosody ejabberd); do
		log "$label, round $round, $s"
		[ "$scenario" = idle ] && restart_server "$s"
		settle
		run_measured "$scenario" "$s" "$@"
	done
}

# rotated N WORD...: the words, turned left by N-1.
rotated() {
	local n=$1
	shift
	local words=("$@")
	local k=$(((n - 1) % ${#words[@]}))
	echo "${words[@]:k}" "${words[@]:0:k}"
}

# settle waits (at most 10 s) until the servers we started have used less
# than 2% of one CPU over 0.5 s: a server still closing the last
# scenario's connections, or collecting its garbage, takes the CPU from
# the next measurement, whoever's it is.
settle() {
	local before after
	before=$(cpu_ticks)
	for _ in $(seq 20); do
		sleep 0.5
		after=$(cpu_ticks)
		[ $((after - before)) -le 1 ] && return 0
		before=$after
	done
	log "the servers are still busy; measuring anyway"
}

# cpu_ticks prints the user and system clock ticks of every process in
# the groups we started.
cpu_ticks() {
	local pids
	pids=$(for pid in "${PID[@]}"; do pgrep -g "$pid"; done)
	[ -z "$pids" ] && { echo 0; return; }
	# shellcheck disable=SC2086
	(cd /proc && cat $(printf '%s/stat ' $pids) 2>/dev/null) |
		sed 's/.*) //' | awk '{ticks += $12 + $13} END {print ticks + 0}'
}

scenario_rounds() {
	for round in $(seq "$ROUNDS"); do
		block "$round" login login --logins 2000 --parallel 50
		block "$round" "msg blast" msg --pairs 200 --messages 200 --window 0
		block "$round" "msg window" msg --pairs 200 --messages 200 --window 1
		block "$round" fanout fanout --users fan%d --contacts 500 --rounds 100
		block "$round" idle idle --conns $IDLE_CONNS --parallel 100 --timeout 300s
	done
}

# seeded_rounds runs login and fan-out on the sandbox serving 100,000
# seeded users with 20 contacts each (and the hub's fixtures), each round
# right after the same on the small store, both alone on the machine: the
# large-store check compares figures measured under the same conditions.
seeded_rounds() {
	log "seeding 100,000 users"
	"$BIN" seed --db "$WORK/seeded.db" --users 100000 --contacts 20 2>/dev/null
	"$BIN" load provision --out "$WORK/hub" --users 0 --ring 0 --fans 500 >/dev/null
	for round in $(seq "$ROUNDS"); do
		over_budget "$SEEDED_BUDGET" "seeded sandbox, round $round" && break
		log "small store, round $round"
		start small sh -c "exec $(sandbox_cmd)"
		wait_login small $SANDBOX_PORT
		store_round sandbox-small "${PID[small]}" 1
		stop_group "${PID[small]}"
		unset 'PID[small]'
		log "seeded sandbox, round $round"
		start seeded sh -c "exec $BIN serve --fixtures $WORK/hub/sandbox --db $WORK/seeded.db --c2s 127.0.0.1:$SANDBOX_PORT --http 127.0.0.1:0 --no-watch"
		wait_login seeded $SANDBOX_PORT
		store_round sandbox-seeded "${PID[seeded]}" 40001
		stop_group "${PID[seeded]}"
		unset 'PID[seeded]'
	done
}

# store_round LABEL PID FIRST: login (2,000 users from FIRST) and fan-out
# on the sandbox listening on its port, into the large-store results.
store_round() {
	local label=$1 pid=$2 first=$3
	"$BIN" load login --json --server "$label" --addr 127.0.0.1:$SANDBOX_PORT --pid "$pid" \
		--logins 2000 --first "$first" --timeout 150s | tee -a "$STORE_RESULTS" || true
	"$BIN" load fanout --json --server "$label" --addr 127.0.0.1:$SANDBOX_PORT --pid "$pid" \
		--users fan%d --contacts 500 --rounds 100 --timeout 150s | tee -a "$STORE_RESULTS" || true
}

machine() {
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "nproc: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/\t//g')"
	echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "prosody $(dpkg-query -W -f '${Version}' prosody), ejabberd $(dpkg-query -W -f '${Version}' ejabberd)"
}

main() {
	install
	# The budget counts from here: an install takes what the mirror takes.
	STARTED=$SECONDS
	ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
	machine | tee "$WORK/machine.txt" >&2
	"$BIN" load provision --out "$WORK/pop" --users 5000 --ring 20 --fans 500 --domain "$DOMAIN"
	mkdir -p "$WORK/no-fixtures"
	prosody_setup
	ejabberd_setup
	ejabberd_provision
	ready_rounds
	start_all
	scenario_rounds
	for s in sandbox prosody ejabberd; do
		stop_group "${PID[$s]}"
		unset "PID[$s]"
	done
	seeded_rounds
	echo
	cat "$WORK/machine.txt"
	echo
	"$BIN" load report --baseline sandbox "$RESULTS"
	echo
	echo "Large store: 100,000 seeded users against the small store, alternated, each alone"
	"$BIN" load report --baseline sandbox-seeded "$STORE_RESULTS"
	log "done"
}

main
