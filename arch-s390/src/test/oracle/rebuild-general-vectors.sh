#!/bin/sh
# Rebuilds the general-instruction oracle vectors from qemu-s390x. Needs s390x-linux-gnu-as/ld/nm/objdump and
# qemu-s390x (Debian: binutils-s390x-linux-gnu, qemu-user). Deterministic: the same seed gives the same file
# byte for byte (gzip without timestamp), given the same assembler and QEMU versions.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/org/hyperport/s390/isa/general-vectors.txt.gz"
python3 "$here/gen_general.py" "$out" --seed "${SEED:-20261121}" --per "${PER:-12}"
