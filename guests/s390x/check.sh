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
arch=s390x
. "$root/guests/common/check-lib.sh"
compare "$out/default-guest.elf" "$resources/default-guest.elf"
compare "$out/mips-bench.elf" "$resources/mips-bench.elf"

compare_conformance
echo "checked 2 images (default guest, mips-bench) and $n conformance files"
exit $status
