#!/usr/bin/env bash
# Runs every fuzz target in the module for the given time each.
set -euo pipefail
time=${1:-10s}
for dir in $(go list -f '{{.Dir}}' ./...); do
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //'); do
    echo "== $target ($dir) for $time"
    go test -run='^$' -fuzz="^${target}\$" -fuzztime="$time" "$dir"
  done
done
