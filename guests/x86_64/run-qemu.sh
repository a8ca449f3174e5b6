#!/bin/sh
# Runs x86_64 conformance cases under QEMU (TCG) and compares each with its .expected output and status.
#   guests/x86_64/run-qemu.sh [-d DIR] [case...]
# DIR defaults to the committed conformance-tests/src/main/resources/org/hyperport/conformance/guests/x86_64;
# without case names every case in DIR/cases.tsv runs. A case passes when QEMU exits with status 1 (the guest wrote
# 0 to isa-debug-exit: (0 << 1) | 1) and the console output equals <case>.expected byte for byte.
# Prints one line per case and "N passed, M failed"; exits 0 if all passed, 1 otherwise, 0 with SKIP if
# qemu-system-x86_64 is not installed. QEMU=..., QEMU_ACCEL=kvm and TIMEOUT=seconds (default 120) override.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir="$root/conformance-tests/src/main/resources/org/hyperport/conformance/guests/x86_64"
if [ "${1:-}" = "-d" ]; then
    dir=$2
    shift 2
fi
QEMU=${QEMU:-qemu-system-x86_64}
ACCEL=${QEMU_ACCEL:-tcg}
TIMEOUT=${TIMEOUT:-120}

if ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "SKIP: $QEMU is not installed"
    exit 0
fi
if [ $# -eq 0 ]; then
    set -- $(grep -v '^#' "$dir/cases.tsv" | cut -f1)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
for name in "$@"; do
    status=0
    timeout "$TIMEOUT" "$QEMU" -M pc -accel "$ACCEL" -nodefaults -device isa-debug-exit,iobase=0xf4,iosize=0x4 \
        -display none -serial stdio -kernel "$dir/$name.elf" </dev/null >"$tmp/out" 2>"$tmp/err" || status=$?
    if [ "$status" -eq 1 ] && cmp -s "$tmp/out" "$dir/$name.expected"; then
        echo "PASS  $name"
        passed=$((passed + 1))
    else
        if [ "$status" -eq 1 ]; then
            why="output differs from $name.expected"
        elif [ "$status" -eq 124 ]; then
            why="timed out after ${TIMEOUT}s"
        elif [ $((status % 2)) -eq 1 ]; then
            why="guest exit status $((status >> 1))"
        else
            why="qemu exit status $status"
        fi
        echo "FAIL  $name: $why"
        diff "$dir/$name.expected" "$tmp/out" | sed -n '1,12s/^/      /p' || true
        sed -n '1,3s/^/      qemu: /p' "$tmp/err"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
