#!/usr/bin/env bash
# An interpreter's instruction rate on the compute-heavy mips-bench guest, next to QEMU TCG running the same binary,
# in one run. QEMU's time is its whole process, including its start-up (about 0.06 s for x86, 0.1 s for s390x).
#   bench/mips-compare.sh [RUNS] [ARCH]      ARCH: x86_64 (default) or s390x
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
arch="${2:-x86_64}"
case "$arch" in
  x86_64)
    guest="$here/arch-x86/src/main/resources/org/hyperport/x86/machine/mips-bench.elf"
    qemu=(qemu-system-x86_64 -M pc -accel tcg -nodefaults -device isa-debug-exit,iobase=0xf4,iosize=0x4
          -display none -serial null -kernel "$guest") ;;
  s390x)
    guest="$here/arch-s390/src/main/resources/org/hyperport/s390/machine/mips-bench.elf"
    qemu=(qemu-system-s390x -nodefaults -nographic -machine s390-ccw-virtio -accel tcg -m 64M
          -chardev null,id=con0 -device sclpconsole,chardev=con0 -kernel "$guest") ;;
  *) echo "mips-compare.sh: unknown architecture '$arch' (x86_64, s390x)" >&2; exit 2 ;;
esac
line="$("$here/hyperport" bench --only mips --arch "$arch" --runs "$runs")"
echo "$line"
if command -v "${qemu[0]}" >/dev/null 2>&1; then
  start=$(date +%s.%N)
  "${qemu[@]}" || true
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v l="$line" 'BEGIN {
    split(l, a, /[ =]/); for (i = 1; i in a; i++) { if (a[i] == "seconds") hs = a[i+1]; if (a[i] == "instructions") n = a[i+1] }
    q = e - s; printf "qemu-tcg seconds=%.2f (%.0f MIPS for the same %d instructions); hyperport/qemu time ratio %.1f\n", q, n / q / 1e6, n, hs / q }'
else
  echo "${qemu[0]} not installed: no comparison"
fi
