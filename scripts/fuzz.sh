#!/usr/bin/env bash
# The long fuzz run: every reader (model file, template, the four importers, the
# markdown and CloudFormation exporters, analyze) on COUNT inputs each, one process
# per reader, in release. Prints each reader's figures (inputs, accepted, rejected,
# panics, timeouts, broken properties, max RSS, peak heap, seconds) and exits 1 if
# any input panicked, ran past the deadline, broke a property or ran out of memory.
# Failing inputs are written to target/fuzz/.
#
#   scripts/fuzz.sh                       1,000,000 inputs per reader, seed 0xd15ea5e
#   COUNT=100000 SEED=7 scripts/fuzz.sh   fewer inputs, another seed
#   TIME_LIMIT=600 scripts/fuzz.sh        at most 600 s per reader (stops early)
#   JOBS=2 scripts/fuzz.sh                two readers at a time
#   scripts/fuzz.sh analyze template      only these readers
#   FUZZ_BIN=path scripts/fuzz.sh         run a driver built before
#
# The process's address space is capped (MEMORY_KIB, default 4 GiB) and the heap at
# 3 GiB inside it: an input that asks for more is written to
# target/fuzz/memory-refused.txt before the process aborts.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
COUNT="${COUNT:-1000000}"
SEED="${SEED:-0xd15ea5e}"
DEADLINE="${DEADLINE:-10}"
TIME_LIMIT="${TIME_LIMIT:-}"
JOBS="${JOBS:-1}"
MEMORY_KIB="${MEMORY_KIB:-4194304}"
READERS=("$@")
if [ "${#READERS[@]}" -eq 0 ]; then
    READERS=(model-file template import-nosql-workbench import-mcp-json import-mysql
             import-migration-contract export-markdown export-cloudformation analyze)
fi

# FUZZ_BIN: an already built driver (skips the build).
BIN="${FUZZ_BIN:-target/release/examples/fuzz}"
[ -n "${FUZZ_BIN:-}" ] || cargo build --release --example fuzz
LOGS=target/fuzz/logs
mkdir -p "$LOGS"

run_one() {
    local reader="$1" extra=() rc=0
    [ -n "$TIME_LIMIT" ] && extra=(--time-limit "$TIME_LIMIT")
    (
        ulimit -v "$MEMORY_KIB"
        exec "$BIN" --reader "$reader" --count "$COUNT" --seed "$SEED" \
            --deadline "$DEADLINE" --out "target/fuzz/$reader" "${extra[@]}"
    ) >"$LOGS/$reader.out" 2>"$LOGS/$reader.err" || rc=$?
    echo "$rc" >"$LOGS/$reader.rc"
}

started=$(date +%s)
running=0
for reader in "${READERS[@]}"; do
    rm -f "$LOGS/$reader.rc"
    run_one "$reader" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true

status=0
header_shown=0
for reader in "${READERS[@]}"; do
    out="$LOGS/$reader.out"
    if [ "$header_shown" -eq 0 ]; then
        sed -n 2p "$out"
        header_shown=1
    fi
    sed -n '3,$p' "$out"
    rc="$(cat "$LOGS/$reader.rc" 2>/dev/null || echo missing)"
    if [ "$rc" != 0 ]; then
        status=1
        echo "  $reader: exit status $rc (see $LOGS/$reader.err)"
        if [ -s "target/fuzz/$reader/memory-refused.txt" ]; then
            echo "  $reader: ran out of memory; input in target/fuzz/$reader/memory-refused.txt"
        fi
    fi
done
echo "seed $SEED, up to $COUNT inputs per reader${TIME_LIMIT:+ or $TIME_LIMIT s}, $(( $(date +%s) - started )) s in all"
exit "$status"
