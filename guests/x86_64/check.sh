#!/bin/sh
# Verifies that the committed x86_64 guest images are exactly what build.sh makes from the sources.
# Exit 0: identical (or skipped because binutils is missing); 1: a committed image differs or is missing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
resources="$root/arch-x86/src/main/resources/org/hyperport/x86/machine"

for tool in "${AS:-as}" "${LD:-ld}"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "check.sh: skipped, $tool (GNU binutils) is not installed"
        exit 0
    fi
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$here/build.sh" "$out"

status=0
compare() { # fresh committed
    if cmp "$1" "$2"; then
        echo "ok       $2"
    else
        echo "DIFFERS  $2 (run guests/x86_64/build.sh and commit the result)"
        status=1
    fi
}
compare "$out/default-guest.elf" "$resources/default-guest.elf"
compare "$out/pio-bench.elf" "$resources/pio-bench.elf"
compare "$out/pio-bench.elf" "$here/pio-bench/pio-bench.elf"
exit $status
