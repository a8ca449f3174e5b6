#!/usr/bin/env bash
# The x86 interpreter's instruction rate on the compute-heavy mips-bench guest, next to QEMU TCG running the same
# binary, in one run. QEMU's time is its whole process, including its start-up (about 0.06 s here).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
guest="$here/arch-x86/src/main/resources/org/hyperport/x86/machine/mips-bench.elf"
line="$("$here/hyperport" bench --only mips --runs "${1:-3}")"
echo "$line"
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
  start=$(date +%s.%N)
  qemu-system-x86_64 -M pc -accel tcg -nodefaults -device isa-debug-exit,iobase=0xf4,iosize=0x4 \
    -display none -serial null -kernel "$guest" || true
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v l="$line" 'BEGIN {
    split(l, a, /[ =]/); for (i = 1; i in a; i++) { if (a[i] == "seconds") hs = a[i+1]; if (a[i] == "instructions") n = a[i+1] }
    q = e - s; printf "qemu-tcg seconds=%.2f (%.0f MIPS for the same %d instructions); hyperport/qemu time ratio %.1f\n", q, n / q / 1e6, n, hs / q }'
else
  echo "qemu-system-x86_64 not installed: no comparison"
fi
