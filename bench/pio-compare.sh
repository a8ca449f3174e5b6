#!/usr/bin/env bash
# One run comparing the port-I/O exit round trip of hyperport's Java run loop with the C reference, interleaved
# (C, Java, C, Java, C, Java) so that drift on a shared host hits both alike. Needs read-write /dev/kvm and cc.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exits="${1:-200000}"
guest="$here/arch-x86/src/main/resources/org/hyperport/x86/machine/pio-bench.elf"
c="$(sh "$here/bench/kvm-pio/build.sh")"
cs=(); js=()
for i in 1 2 3; do
  cs+=("$("$c" "$guest" "$exits" 2>/dev/null | sed -n 's/.*ns_per_exit=\([0-9.]*\).*/\1/p')")
  js+=("$("$here/hyperport" bench --only pio --runs 1 --exits "$exits" | sed -n 's/.*ns_per_exit=\([0-9.]*\).*/\1/p')")
done
printf 'c    ns/exit: %s\njava ns/exit: %s\n' "${cs[*]}" "${js[*]}"
best() { printf '%s\n' "$@" | sort -g | head -n1; }
bc_=$(best "${cs[@]}"); bj=$(best "${js[@]}")
awk -v c="$bc_" -v j="$bj" 'BEGIN { printf "best: c %.0f ns, java %.0f ns, java/c = %.3f\n", c, j, j / c }'
