#!/bin/sh
# Rebuilds the x86_64 bare-metal guests byte for byte.
#   guests/x86_64/build.sh [OUTDIR]
# Without OUTDIR the committed locations are written:
#   arch-x86/src/main/resources/org/hyperport/x86/machine/default-guest.elf
#   arch-x86/src/main/resources/org/hyperport/x86/machine/pio-bench.elf
#   guests/x86_64/pio-bench/pio-bench.elf
# With OUTDIR, default-guest.elf and pio-bench.elf are written there only (check.sh uses this).
# Needs GNU as and ld (binutils). Everything is assembled with `as --32` (64-bit code sits under .code64, which
# keeps the objects ELF32 so `ld -m elf_i386` can link them) and linked with a fixed script, stripped, with no
# build-id, notes or comments, so the output depends only on the sources and the binutils version.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
resources="$root/arch-x86/src/main/resources/org/hyperport/x86/machine"

AS=${AS:-as}
LD=${LD:-ld}
export LC_ALL=C SOURCE_DATE_EPOCH=0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

assemble() { # source object
    "$AS" --32 --noexecstack -o "$2" "$1"
}

for f in entry serial idt; do
    assemble "$here/common/$f.S" "$work/$f.o"
done
common="$work/entry.o $work/serial.o $work/idt.o"

# The single load segment is RWX on purpose (code, data and page tables in one image).
nowarn=
if "$LD" --help 2>/dev/null | grep -q -- --no-warn-rwx-segments; then
    nowarn=--no-warn-rwx-segments
fi

link() { # name main.S output
    assemble "$2" "$work/$1-main.o"
    # shellcheck disable=SC2086
    "$LD" -m elf_i386 -T "$here/common/guest.ld" -s --build-id=none -z noexecstack -z norelro \
        -z max-page-size=0x10 -z common-page-size=0x10 $nowarn -o "$3" $common "$work/$1-main.o"
}

if [ $# -ge 1 ]; then
    out=$1
    mkdir -p "$out"
    link default "$here/default/main.S" "$out/default-guest.elf"
    link pio-bench "$here/pio-bench/main.S" "$out/pio-bench.elf"
    chmod 644 "$out/default-guest.elf" "$out/pio-bench.elf"
else
    mkdir -p "$resources"
    link default "$here/default/main.S" "$resources/default-guest.elf"
    link pio-bench "$here/pio-bench/main.S" "$here/pio-bench/pio-bench.elf"
    cp "$here/pio-bench/pio-bench.elf" "$resources/pio-bench.elf"
    chmod 644 "$resources/default-guest.elf" "$here/pio-bench/pio-bench.elf" "$resources/pio-bench.elf"
    ls -l "$resources/default-guest.elf" "$here/pio-bench/pio-bench.elf" "$resources/pio-bench.elf"
fi
