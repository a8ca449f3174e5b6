#!/bin/sh
# Runs every s390x conformance case under QEMU with the kvm-unit-tests command line and compares the console with
# the case's .expected file. QEMU ends when the guest stops its last CPU (SIGP STOP after "EXIT: STATUS=n"); the
# status is read from that line.
#   guests/s390x/run-qemu.sh [DIR]   (DIR: built cases; default: the committed conformance resources)
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${1:-$root/conformance-tests/src/main/resources/org/hyperport/conformance/guests/s390x}
QEMU=${QEMU:-qemu-system-s390x}
if ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "SKIP: $QEMU is not installed"
    exit 0
fi

fail=0
n=0
while IFS="$(printf '\t')" read -r name level kind desc; do
    n=$((n + 1))
    out=$(timeout 60 "$QEMU" -nodefaults -nographic -machine s390-ccw-virtio -m 64M -chardev stdio,id=con0 \
        -device sclpconsole,chardev=con0 -kernel "$dir/$name.elf" </dev/null 2>&1)
    rc=$?
    status=$(printf '%s\n' "$out" | sed -n 's/.*EXIT: STATUS=\([0-9]*\).*/\1/p' | tail -n 1)
    body=$(printf '%s\n' "$out" | grep -v '^EXIT: STATUS=')
    if [ "$rc" -ne 0 ] || [ "$status" != "0" ]; then
        echo "FAIL $name: qemu exit $rc, guest status ${status:-none}"
        printf '%s\n' "$out" | tail -n 5 | sed 's/^/    /'
        fail=$((fail + 1))
    elif [ "$body" != "$(cat "$dir/$name.expected")" ]; then
        echo "FAIL $name: output differs from $name.expected"
        printf '%s\n' "$body" > /tmp/run-qemu-$name.out
        diff "$dir/$name.expected" /tmp/run-qemu-$name.out | head -n 5 | sed 's/^/    /'
        fail=$((fail + 1))
    else
        echo "ok   $name"
    fi
done < "$dir/cases.tsv"
echo "$n cases, $fail failed"
[ "$fail" -eq 0 ]
