#!/bin/sh
# Rebuilds the s390x guests byte for byte.
#   guests/s390x/build.sh [OUTDIR]
# Without OUTDIR the committed locations are written:
#   arch-s390/src/main/resources/org/hyperport/s390/machine/default-guest.elf
#   arch-s390/src/main/resources/org/hyperport/s390/machine/mips-bench.elf (the compute benchmark, bench --only mips)
#   conformance-tests/src/main/resources/org/hyperport/conformance/guests/s390x/
#       cases.tsv, and <case>.elf + <case>.expected for every case in guests/s390x/cases.tsv
# With OUTDIR, default-guest.elf and mips-bench.elf go to OUTDIR and the conformance files to OUTDIR/conformance/ (check.sh).
#
# Everything is linked with rt/guest.ld (the kvm-unit-tests layout: lowcore at 0, entry at 0x10000, the kernel
# parameter area kept free), stripped, with no build-id, notes or comments, so the output depends only on the
# sources and the toolchain versions (Debian 12: s390x-linux-gnu-gcc 12.2, binutils 2.40).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
resources="$root/arch-s390/src/main/resources/org/hyperport/s390/machine"
conformance="$root/conformance-tests/src/main/resources/org/hyperport/conformance/guests/s390x"
cdir="$root/guests/common/c"

CC=${CC:-s390x-linux-gnu-gcc}
LD=${LD:-s390x-linux-gnu-ld}
export LC_ALL=C SOURCE_DATE_EPOCH=0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

nowarn=
if "$LD" --help 2>/dev/null | grep -q -- --no-warn-rwx-segments; then
    nowarn=--no-warn-rwx-segments
fi
ldflags="-T $here/rt/guest.ld -s --build-id=none -z noexecstack -z norelro $nowarn"

# Freestanding C11 for z/Architecture: the z196 level Debian's kernel needs, hard float in the FPRs (AFP is on),
# no vector registers, nothing that depends on the build directory.
cflags="-std=c11 -ffreestanding -nostdlib -fno-pic -fno-pie -march=z196 -mno-vx -O2 -g0
    -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-ident -fno-stack-protector -fno-common
    -ffp-contract=off -fno-math-errno -fno-tree-loop-distribute-patterns -Wall -Wextra
    -ffile-prefix-map=$root/= -I $cdir -I $here/rt"

asm() { # source object
    "$CC" -c -I "$here/rt" -o "$2" "$1"
}

build_default() { # output
    asm "$here/default/main.S" "$work/default.o"
    # shellcheck disable=SC2086
    "$LD" $ldflags -o "$1" "$work/default.o"
    chmod 644 "$1"
}

build_conformance() { # output directory, mips-bench output
    out=$1
    bench=$2
    mkdir -p "$out"
    asm "$here/rt/start.S" "$work/start.o"
    # shellcheck disable=SC2086
    "$CC" $cflags -c -o "$work/rt.o" "$here/rt/rt.c"
    # shellcheck disable=SC2086
    "$CC" $cflags -c -o "$work/hplib.o" "$cdir/hplib.c"
    libgcc=$("$CC" -print-libgcc-file-name)
    base="$work/start.o $work/rt.o $work/hplib.o"

    : > "$out/cases.tsv"
    grep -v '^#' "$here/cases.tsv" | grep -v '^[[:space:]]*$' | while IFS="$(printf '\t')" read -r name level kind desc; do
        case "$kind" in
        c)
            # shellcheck disable=SC2086
            "$CC" $cflags -c -o "$work/$name.o" "$cdir/$name.c"
            expected="$cdir/$name.expected"
            ;;
        asm)
            asm "$here/tests/$name.S" "$work/$name.o"
            expected="$here/tests/$name.expected"
            ;;
        *)
            echo "build.sh: $name: unknown kind '$kind'" >&2
            exit 1
            ;;
        esac
        # shellcheck disable=SC2086
        "$LD" $ldflags -o "$out/$name.elf" $base "$work/$name.o" "$libgcc"
        cp "$expected" "$out/$name.expected"
        chmod 644 "$out/$name.elf" "$out/$name.expected"
        printf '%s\t%s\t%s\t%s\n' "$name" "$level" "$kind" "$desc" >> "$out/cases.tsv"
    done
    chmod 644 "$out/cases.tsv"
    # shellcheck disable=SC2086
    "$CC" $cflags -c -o "$work/mips-bench.o" "$cdir/bench/mips-bench.c"
    # shellcheck disable=SC2086
    "$LD" $ldflags -o "$bench" $base "$work/mips-bench.o" "$libgcc"
    chmod 644 "$bench"
}

if [ $# -ge 1 ]; then
    out=$1
    mkdir -p "$out"
    build_default "$out/default-guest.elf"
    build_conformance "$out/conformance" "$out/mips-bench.elf"
else
    mkdir -p "$resources"
    build_default "$resources/default-guest.elf"
    ls -l "$resources/default-guest.elf"
    # Stale cases (renamed or removed from cases.tsv) must not linger next to the manifest.
    rm -f "$conformance"/*.elf "$conformance"/*.expected "$conformance/cases.tsv"
    build_conformance "$conformance" "$resources/mips-bench.elf"
    echo "$(grep -c . "$conformance/cases.tsv") conformance cases in ${conformance#"$root"/}"
fi
