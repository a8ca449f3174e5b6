#!/bin/sh
# Runs x86_64 conformance cases under hyperport and compares each with its .expected output and status.
#   guests/x86_64/run-hyperport.sh [-d DIR] [case...]
# DIR defaults to the committed conformance-tests/src/main/resources/org/hyperport/conformance/guests/x86_64;
# without case names every case in DIR/cases.tsv runs. A case passes when `./hyperport run --arch x86_64
# --kernel <case>.elf` exits with status 0 (the guest's debug-exit status) and prints exactly <case>.expected.
# Prints one line per case and "N passed, M failed"; exits 0 if all passed, 1 otherwise.
# ENGINE=kvm|interpreter (default: hyperport's auto) and TIMEOUT=seconds (default 60) override.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir="$root/conformance-tests/src/main/resources/org/hyperport/conformance/guests/x86_64"
if [ "${1:-}" = "-d" ]; then
    dir=$2
    shift 2
fi
TIMEOUT=${TIMEOUT:-60}
engine=
if [ -n "${ENGINE:-}" ]; then
    engine="--engine $ENGINE"
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
    # shellcheck disable=SC2086
    "$root/hyperport" run --arch x86_64 $engine --kernel "$dir/$name.elf" --timeout "$TIMEOUT" \
        </dev/null >"$tmp/out" 2>"$tmp/err" || status=$?
    if [ "$status" -eq 0 ] && cmp -s "$tmp/out" "$dir/$name.expected"; then
        echo "PASS  $name"
        passed=$((passed + 1))
    else
        if [ "$status" -eq 0 ]; then
            why="output differs from $name.expected"
        else
            why="exit status $status"
        fi
        echo "FAIL  $name: $why"
        diff "$dir/$name.expected" "$tmp/out" | sed -n '1,12s/^/      /p' || true
        grep -v '^hyperport: building' "$tmp/err" | sed -n '1,2s/^/      hyperport: /p'
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
