#!/bin/sh
# Rebuilds the x86_64 guests byte for byte.
#   guests/x86_64/build.sh [OUTDIR]
# Without OUTDIR the committed locations are written:
#   arch-x86/src/main/resources/org/hyperport/x86/machine/default-guest.elf
#   arch-x86/src/main/resources/org/hyperport/x86/machine/pio-bench.elf
#   guests/x86_64/pio-bench/pio-bench.elf
#   conformance-tests/src/main/resources/org/hyperport/conformance/guests/x86_64/
#       cases.tsv, and <case>.elf + <case>.expected for every case in guests/x86_64/cases.tsv
# With OUTDIR, default-guest.elf and pio-bench.elf are written to OUTDIR and the conformance files to
# OUTDIR/conformance/ (check.sh uses this).
#
# The assembly-only guests (default, pio-bench) are assembled with `as --32` (64-bit code sits under .code64,
# which keeps the objects ELF32 so `ld -m elf_i386` can link them). The conformance cases mix C and assembly, so
# they are built as ELF64 (`as --64`, gcc, `ld -m elf_x86_64`) and converted to the ELF32 file that Multiboot
# loaders accept with `objcopy -O elf32-i386`, as kvm-unit-tests does. Everything is linked with one fixed script,
# stripped, with no build-id, notes or comments, so the output depends only on the sources and the toolchain
# versions (see README.md).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
resources="$root/arch-x86/src/main/resources/org/hyperport/x86/machine"
conformance="$root/conformance-tests/src/main/resources/org/hyperport/conformance/guests/x86_64"
cdir="$root/guests/common/c"

AS=${AS:-as}
LD=${LD:-ld}
OBJCOPY=${OBJCOPY:-objcopy}
if [ -z "${CC:-}" ]; then
    if command -v x86_64-linux-gnu-gcc >/dev/null 2>&1; then CC=x86_64-linux-gnu-gcc; else CC=gcc; fi
fi
export LC_ALL=C SOURCE_DATE_EPOCH=0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The single load segment is RWX on purpose (code, data and page tables in one image).
nowarn=
if "$LD" --help 2>/dev/null | grep -q -- --no-warn-rwx-segments; then
    nowarn=--no-warn-rwx-segments
fi
ldflags="-T $here/common/guest.ld -s --build-id=none -z noexecstack -z norelro -z max-page-size=0x10
    -z common-page-size=0x10 $nowarn"

# ---- the assembly-only guests (ELF32 objects) ----

assemble() { # source object
    "$AS" --32 --noexecstack -o "$2" "$1"
}

for f in entry serial idt; do
    assemble "$here/common/$f.S" "$work/$f.o"
done
common="$work/entry.o $work/serial.o $work/idt.o"

link() { # name main.S output
    assemble "$2" "$work/$1-main.o"
    # shellcheck disable=SC2086
    "$LD" -m elf_i386 $ldflags -o "$3" $common "$work/$1-main.o"
}

# ---- the conformance cases (ELF64 objects, converted to ELF32) ----

as64() { # source object [extra as flags]
    src=$1
    obj=$2
    shift 2
    "$AS" --64 --noexecstack -I "$here/rt" -I "$here/tests/lib" "$@" -o "$obj" "$src"
}

# Shared C flags: freestanding C11 at CPL 3 (rt/crt0.S), SSE2 floating point, nothing that depends on the build
# directory. -ffp-contract=off and -std=c11 keep floating point in its nominal type and unfused; -fno-math-errno
# lets __builtin_sqrt be the instruction; -fno-tree-loop-distribute-patterns keeps hplib's memset/memcpy loops
# from becoming calls to themselves.
cflags="-std=c11 -ffreestanding -nostdlib -fno-pic -fno-pie -mcmodel=small -mno-red-zone -O2 -g0
    -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-ident -fno-stack-protector -fcf-protection=none
    -fno-common -ffp-contract=off -fno-math-errno -fno-tree-loop-distribute-patterns -Wall -Wextra
    -ffile-prefix-map=$root/= -I $cdir"

build_conformance() { # output directory, mips-bench output
    out=$1
    bench=$2
    mkdir -p "$out"
    for f in entry serial; do
        as64 "$here/common/$f.S" "$work/$f-64.o"
    done
    as64 "$here/common/idt.S" "$work/idt-64.o" --defsym IDT_VECTORS=256
    for f in rt hp crt0; do
        as64 "$here/rt/$f.S" "$work/$f-64.o"
    done
    as64 "$here/tests/lib/testlib.S" "$work/testlib-64.o"
    # shellcheck disable=SC2086
    "$CC" $cflags -c -o "$work/hplib.o" "$cdir/hplib.c"
    libgcc=$("$CC" -print-libgcc-file-name)
    base="$work/entry-64.o $work/serial-64.o $work/idt-64.o $work/rt-64.o $work/hp-64.o"

    : > "$out/cases.tsv"
    grep -v '^#' "$here/cases.tsv" | grep -v '^[[:space:]]*$' | while IFS="$(printf '\t')" read -r name level kind desc; do
        case "$kind" in
        c)
            # shellcheck disable=SC2086
            "$CC" $cflags -c -o "$work/$name.o" "$cdir/$name.c"
            objs="$base $work/crt0-64.o $work/$name.o $work/hplib.o $libgcc"
            expected="$cdir/$name.expected"
            ;;
        asm)
            as64 "$here/tests/$name.S" "$work/$name.o"
            objs="$base $work/testlib-64.o $work/$name.o"
            expected="$here/tests/$name.expected"
            ;;
        *)
            echo "build.sh: $name: unknown kind '$kind'" >&2
            exit 1
            ;;
        esac
        # shellcheck disable=SC2086
        "$LD" -m elf_x86_64 $ldflags -o "$work/$name.elf64" $objs
        "$OBJCOPY" -O elf32-i386 "$work/$name.elf64" "$out/$name.elf"
        cp "$expected" "$out/$name.expected"
        chmod 644 "$out/$name.elf" "$out/$name.expected"
        printf '%s\t%s\t%s\t%s\n' "$name" "$level" "$kind" "$desc" >> "$out/cases.tsv"
    done
    chmod 644 "$out/cases.tsv"
    # The compute benchmark guest: not a conformance case, shipped in the jar for `hyperport bench`.
    "$CC" $cflags -c -o "$work/mips-bench.o" "$cdir/bench/mips-bench.c"
    "$LD" -m elf_x86_64 $ldflags -o "$work/mips-bench.elf64" $base "$work/crt0-64.o" "$work/mips-bench.o" \
        "$work/hplib.o" "$libgcc"
    "$OBJCOPY" -O elf32-i386 "$work/mips-bench.elf64" "$bench"
    chmod 644 "$bench"
}

if [ $# -ge 1 ]; then
    out=$1
    mkdir -p "$out"
    link default "$here/default/main.S" "$out/default-guest.elf"
    link pio-bench "$here/pio-bench/main.S" "$out/pio-bench.elf"
    chmod 644 "$out/default-guest.elf" "$out/pio-bench.elf"
    build_conformance "$out/conformance" "$out/mips-bench.elf"
else
    mkdir -p "$resources"
    link default "$here/default/main.S" "$resources/default-guest.elf"
    link pio-bench "$here/pio-bench/main.S" "$here/pio-bench/pio-bench.elf"
    cp "$here/pio-bench/pio-bench.elf" "$resources/pio-bench.elf"
    chmod 644 "$resources/default-guest.elf" "$here/pio-bench/pio-bench.elf" "$resources/pio-bench.elf"
    ls -l "$resources/default-guest.elf" "$here/pio-bench/pio-bench.elf" "$resources/pio-bench.elf"
    # Stale cases (renamed or removed from cases.tsv) must not linger next to the manifest.
    rm -f "$conformance"/*.elf "$conformance"/*.expected "$conformance/cases.tsv"
    build_conformance "$conformance" "$resources/mips-bench.elf"
    echo "$(grep -c . "$conformance/cases.tsv") conformance cases in ${conformance#"$root"/}"
fi
