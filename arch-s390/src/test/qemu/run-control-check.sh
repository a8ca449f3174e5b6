#!/bin/sh
# Builds control-check.S and runs it under qemu-system-s390x (TCG), printing the result slots through the
# monitor. Optional: needs s390x-linux-gnu-gcc and qemu-system-s390x. Not part of the Maven build.
#
# Slots (res + 8*n) and what QEMU 7.2 TCG gave, with what hyperport does:
#   0 STIDP                      0x0000000085610000 (QEMU's default model, a z15); hyperport 0x0001234528170000 (z196)
#   1 GR0 after STSI fc 0        0x30000000: level 3                          (same)
#   2 IPM after STSI 3.2.2       CC 0; SYSIB byte 31 = 1, cpi at +56 = EBCDIC "KVM/Linux" (same)
#   3 IPM after STSCH 0.0.0000   CC 3                                         (same)
#   4 IPM after STCRW            CC 1                                         (same)
#   5 IPM after TPI              CC 0                                         (same)
#   6 IPM after CHSC SCSC        CC 0; 7: response code 0x0001 (QEMU implements SCSC; hyperport answers 0x0004)
#   9/10 LRAG mapped page        CC 0, real address 0x50010                   (same)
#  11/12 LRAG invalid PTE        CC 3, 0x80000011 (hyperport: CC 2, the PTE's real address, per the PoP)
#  13/14 LRAG invalid STE        CC 3, 0x80000010 (hyperport: CC 1, the STE's real address, per the PoP)
#  15/16 LRAG beyond the ASCE    CC 3, 0x80000038                             (same)
#  18 TPROT 0x100 with LAP on    CC 1: low-address protection counts          (same)
#  19/20 conditional SSKE        QEMU ignores M3 (no old key in R1 bits 48-55); hyperport implements it
set -e
cd "$(dirname "$0")"
out=${TMPDIR:-/tmp}/hyperport-control-check
mkdir -p "$out"
s390x-linux-gnu-gcc -nostdlib -static -Wl,-Ttext=0x10000 -march=z196 control-check.S -o "$out/control-check.elf"
res=$(s390x-linux-gnu-nm "$out/control-check.elf" | awk '$3=="res"{print $1}')
(sleep 3; echo "xp /24gx 0x$res"; echo "xp /12bx 0x30038"; echo quit) |
    timeout 30 qemu-system-s390x -M s390-ccw-virtio -nodefaults -display none -no-shutdown -monitor stdio \
        -kernel "$out/control-check.elf" 2>&1 | grep '^0000'
