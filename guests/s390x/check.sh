#!/bin/sh
# Verifies that the committed s390x guest images and conformance files are exactly what build.sh makes from the
# sources: default-guest.elf and every file in
# conformance-tests/src/main/resources/org/hyperport/conformance/guests/s390x/ (cases.tsv, <case>.elf,
# <case>.expected), with nothing missing and nothing extra.
# Exit 0: identical (or skipped because the toolchain is missing); 1: something differs or is missing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
resources="$root/arch-s390/src/main/resources/org/hyperport/s390/machine"
conformance="$root/conformance-tests/src/main/resources/org/hyperport/conformance/guests/s390x"

CC=${CC:-s390x-linux-gnu-gcc}
LD=${LD:-s390x-linux-gnu-ld}
for tool in "$LD" "$CC"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: check.sh needs $tool (Debian gcc-s390x-linux-gnu and binutils-s390x-linux-gnu), which is not installed"
        exit 0
    fi
done
export CC LD

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$here/build.sh" "$out"

status=0
compare() { # fresh committed
    if [ ! -f "$2" ]; then
        echo "MISSING  $2 (run guests/s390x/build.sh and commit the result)"
        status=1
    elif cmp -s "$1" "$2"; then
        echo "ok       ${2#"$root"/}"
    else
        echo "DIFFERS  ${2#"$root"/} (run guests/s390x/build.sh and commit the result)"
        status=1
    fi
}
compare "$out/default-guest.elf" "$resources/default-guest.elf"
compare "$out/mips-bench.elf" "$resources/mips-bench.elf"

n=0
for f in "$out"/conformance/*; do
    compare "$f" "$conformance/$(basename "$f")"
    n=$((n + 1))
done
if [ -d "$conformance" ]; then
    for f in "$conformance"/*; do
        [ -e "$f" ] || continue
        if [ ! -e "$out/conformance/$(basename "$f")" ]; then
            echo "EXTRA    ${f#"$root"/} (not produced by build.sh: remove it)"
            status=1
        fi
    done
fi
echo "checked 2 images (default guest, mips-bench) and $n conformance files"
exit $status
