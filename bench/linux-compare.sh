#!/usr/bin/env bash
# Debian's x86_64 kernel with the busybox initramfs, booted to power-off on hyperport's interpreter and under QEMU
# TCG (-M pc) on the same host, one after the other: the uncompressed vmlinux (PVH entry) and the packaged bzImage.
# Prints, per run, the kernel's own timestamp of "Run /init" and the whole run's wall-clock time.
#   bench/linux-compare.sh [DIR]     DIR holds vmlinuz, vmlinux and initrd.gz (default: the test suite's cache,
#                                    ~/.cache/hyperport/debian/amd64, which DebianLinuxInterpreterTest fills)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$HOME/.cache/hyperport/debian/amd64}"
for f in vmlinuz vmlinux initrd.gz; do
  if [ ! -f "$dir/$f" ]; then
    echo "linux-compare.sh: $dir/$f missing (run the test suite once, or pass a directory)" >&2
    exit 2
  fi
done
append="console=ttyS0 panic=-1"

# run NAME COMMAND...: wall-clock seconds of the whole run and the kernel's "Run /init" timestamp
run() {
  local name="$1"; shift
  local log; log="$(mktemp)"
  local start end
  start=$(date +%s.%N)
  "$@" >"$log" 2>&1 </dev/null || true
  end=$(date +%s.%N)
  local init; init="$(grep -a -o '\[ *[0-9.]*\] Run /init' "$log" | grep -o '[0-9][0-9.]*' | head -1 || true)"
  local ok="no"; grep -aq "HYPERPORT-LINUX-INIT-OK" "$log" && ok="yes"
  awk -v n="$name" -v s="$start" -v e="$end" -v i="${init:-?}" -v ok="$ok" \
    'BEGIN { printf "%-28s run-init=%ss whole-run=%.1fs marker=%s\n", n, i, e - s, ok }'
  rm -f "$log"
}

for image in vmlinux vmlinuz; do
  run "hyperport-interpreter $image" "$here/hyperport" run --arch x86_64 --engine interpreter --memory 512M \
    --kernel "$dir/$image" --initrd "$dir/initrd.gz" --append "$append" --timeout 600
  if command -v qemu-system-x86_64 >/dev/null 2>&1; then
    run "qemu-tcg $image" qemu-system-x86_64 -M pc -accel tcg -m 512M -nodefaults -nographic -no-reboot \
      -serial stdio -kernel "$dir/$image" -initrd "$dir/initrd.gz" -append "$append"
  fi
done
