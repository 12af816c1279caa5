#!/usr/bin/env bash
# Runs every fuzz target in the module for the given time each (a go test
# -fuzztime value: 10s, 2m, or 5000x for a count), optionally only the
# targets whose name matches a pattern:
#
#   scripts/fuzz.sh 20s            every target, 20 seconds each
#   scripts/fuzz.sh 1m 'FuzzAPI'   one target
#
# Every target runs even after one fails; the script then exits 1 and
# names the failures. A failing input is saved by go test under the
# package's testdata/fuzz/<Target>/, where it stays as a regression test.
# Each run keeps go test's default ten-minute timeout, so a time above
# about nine minutes needs -timeout raised by hand.
#
# go test spends up to a minute minimising each new input that widens
# coverage, and counts none of those runs: a short run would mostly
# minimise and hardly explore (its exec count stops for the rest of the
# run). FUZZMINIMIZETIME bounds each minimisation instead, 3s unless set.
set -uo pipefail

time=${1:-10s}
minimize=${FUZZMINIMIZETIME:-3s}
only=${2:-.}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2

# deadline_flake recognises go's own race at the end of -fuzztime
# (go.dev/issue/75804, fixed in Go 1.27): the run fails with "context
# deadline exceeded" although no input failed. A real failure names its
# input ("Failing input written to ...") or a failing test.
deadline_flake() {
  grep -q 'context deadline exceeded' "$1" &&
    ! grep -q 'Failing input written to' "$1" &&
    ! grep -q -- '--- FAIL: .*/' "$1"
}

dirs=$(go list -f '{{.Dir}}' ./...) || { echo "fuzz: go list failed" >&2; exit 2; }
summary=()
failed=()
found=0
for dir in $dirs; do
  files=("$dir"/*_test.go)
  [ -e "${files[0]}" ] || continue
  targets=$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)([A-Za-z_]* \*testing\.F).*/\1/p' "${files[@]}" | sort -u)
  for target in $targets; do
    [[ $target =~ $only ]] || continue
    found=$((found + 1))
    rel=.
    [ "$dir" = "$root" ] || rel=./${dir#"$root"/}
    echo "== $target ($rel) for $time"
    log=$(mktemp)
    go test -run='^$' -fuzz="^${target}\$" -fuzztime="$time" -fuzzminimizetime="$minimize" "$rel" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    if [ "$status" -eq 0 ]; then
      summary+=("ok    $target ($rel): ${execs:-?} execs")
    elif deadline_flake "$log"; then
      summary+=("ok    $target ($rel): ${execs:-?} execs (go's end-of-fuzztime race, no failing input)")
    else
      summary+=("FAIL  $target ($rel): ${execs:-?} execs")
      failed+=("$target ($rel)")
    fi
    rm -f "$log"
  done
done

echo
echo "== fuzz summary ($time per target)"
printf '%s\n' "${summary[@]}"
if [ "$found" -eq 0 ]; then
  echo "fuzz: no target matches '$only'" >&2
  exit 1
fi
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
