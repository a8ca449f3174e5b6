#!/bin/sh
# Rebuilds the BFP oracle vectors from qemu-s390x. Needs s390x-linux-gnu-as/ld/nm/objdump and qemu-s390x
# (Debian: binutils-s390x-linux-gnu, qemu-user). Deterministic: the same seed gives the same file byte for byte.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/org/hyperport/s390/isa/bfp-vectors.txt.gz"
python3 "$here/gen_bfp.py" "$out" --seed "${SEED:-20261122}" --per "${PER:-60}"
