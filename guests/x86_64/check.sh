#!/bin/sh
# Verifies that the committed x86_64 guest images and conformance files are exactly what build.sh makes from the
# sources: default-guest.elf, pio-bench.elf (both copies), and every file in
# conformance-tests/src/main/resources/org/hyperport/conformance/guests/x86_64/ (cases.tsv, <case>.elf,
# <case>.expected), with nothing missing and nothing extra.
# Exit 0: identical (or skipped because the toolchain is missing); 1: something differs or is missing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
resources="$root/arch-x86/src/main/resources/org/hyperport/x86/machine"
conformance="$root/conformance-tests/src/main/resources/org/hyperport/conformance/guests/x86_64"

if [ -z "${CC:-}" ]; then
    if command -v x86_64-linux-gnu-gcc >/dev/null 2>&1; then CC=x86_64-linux-gnu-gcc; else CC=gcc; fi
fi
for tool in "${AS:-as}" "${LD:-ld}" "${OBJCOPY:-objcopy}" "$CC"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: check.sh needs $tool (GNU binutils and gcc), which is not installed"
        exit 0
    fi
done
export CC

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$here/build.sh" "$out"

status=0
arch=x86_64
. "$root/guests/common/check-lib.sh"
compare "$out/default-guest.elf" "$resources/default-guest.elf"
compare "$out/pio-bench.elf" "$resources/pio-bench.elf"
compare "$out/pio-bench.elf" "$here/pio-bench/pio-bench.elf"
compare "$out/mips-bench.elf" "$resources/mips-bench.elf"

compare_conformance
echo "checked 4 images and $n conformance files"
exit $status
