#!/bin/sh
# Builds the C reference for the port-I/O exit benchmark into bench/kvm-pio/target/kvm_pio.
# Run it from the repository root (it needs read/write access to /dev/kvm):
#   bench/kvm-pio/target/kvm_pio [guests/x86_64/pio-bench/pio-bench.elf [COUNT]]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/target"
${CC:-cc} -O2 -std=c11 -Wall -Wextra -Werror -o "$here/target/kvm_pio" "$here/kvm_pio.c"
echo "$here/target/kvm_pio"
