package org.hyperport.s390.machine;

import java.nio.charset.StandardCharsets;
import org.hyperport.api.BootImage;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.HyperportException;
import org.hyperport.common.loader.ElfImage;
import org.hyperport.common.loader.RawImage;

/**
 * IPL from a kernel image, as QEMU's {@code -kernel} does on {@code s390-ccw-virtio} ({@code hw/s390x/ipl.c},
 * ARCHES §2.4): an s390x ELF is loaded at its physical addresses and entered at {@code e_entry}; anything else is
 * loaded at absolute 0 and entered at 0x10000 if "S390EP" is at 0x10008 (a Linux image), else at the address of the
 * short IPL PSW at absolute 0. For an entry of 0x10000 the command line goes to the parameter area, and an initrd to
 * 8 MiB or the first MiB boundary at least 1 MiB above the kernel, its start and size into the parameter area. The
 * boot CPU starts with PSW EA|BA (64-bit, everything masked) at the entry.
 */
public final class S390Boot {

    /** Linux's parameter area ({@code struct parmarea}, LNX {@code arch/s390/include/asm/setup.h}). */
    public static final long PARMAREA = 0x10400, INITRD_START = 0x10408, INITRD_SIZE = 0x10410,
            MAX_COMMAND_LINE_SIZE = 0x10430, COMMAND_LINE = 0x10480, STARTUP = 0x10000, LEGACY_STARTUP = 0x800;
    public static final int LEGACY_COMMAND_LINE_SIZE = 896;
    public static final long INITRD_DEFAULT = 0x800000;

    private S390Boot() {
    }

    /** Loads {@code image} into {@code mem} and returns the IPL PSW's instruction address. */
    public static long load(GuestMemory mem, long ramSize, BootImage image) {
        String name = image.name();
        byte[] kernel = image.kernel();
        long entry;
        long kernelEnd;
        if (ElfImage.isElf(kernel)) {
            ElfImage elf = ElfImage.parse(name, kernel);
            if (elf.machine() != ElfImage.EM_S390 || !elf.is64()
                    || elf.order() != java.nio.ByteOrder.BIG_ENDIAN) {
                throw HyperportException.badInput(name + ": not an s390x kernel (ELF for "
                        + ElfImage.machineName(elf.machine()) + (elf.is64() ? ", 64-bit" : ", 32-bit")
                        + (elf.order() == java.nio.ByteOrder.BIG_ENDIAN ? "" : ", little-endian")
                        + "); s390x needs a 64-bit big-endian EM_S390 ELF or a raw image");
            }
            if (elf.loadSegments().isEmpty()) {
                throw HyperportException.badInput(name + ": ELF has no PT_LOAD segment");
            }
            kernelEnd = elf.loadInto(mem);
            entry = elf.entry();
            if (!mem.contains(entry, 2)) {
                throw HyperportException.badInput(String.format("%s: entry point 0x%x is outside RAM (%s)", name,
                        entry, RawImage.describe(mem)));
            }
        } else {
            if (kernel.length < 8) {
                throw HyperportException.badInput(name + ": " + kernel.length + " bytes is too short for an s390x "
                        + "image (no IPL PSW at absolute 0)");
            }
            RawImage.of(name, kernel).loadAt(mem, 0);
            kernelEnd = kernel.length;
            if (kernel.length >= 0x10008 + 6 && new String(kernel, 0x10008, 6, StandardCharsets.ISO_8859_1)
                    .equals("S390EP")) {
                entry = STARTUP;
            } else {
                entry = mem.read32(4) & 0x7fffffffL;
                if (!mem.contains(entry, 2)) {
                    throw HyperportException.badInput(String.format("%s: not an s390x kernel: no ELF header, no "
                            + "\"S390EP\" at 0x10008, and the short IPL PSW's address 0x%x is outside RAM", name,
                            entry));
                }
            }
        }
        boolean linux = entry == STARTUP || entry == LEGACY_STARTUP;
        if (linux) {
            entry = STARTUP;
            writeCommandLine(mem, name, image.cmdline());
        }
        if (image.initrd().isPresent()) {
            byte[] initrd = image.initrd().get();
            long at = INITRD_DEFAULT;
            while (kernelEnd + 0x100000 > at) {
                at += 0x100000;
            }
            if (at + initrd.length > ramSize) {
                throw HyperportException.badInput(String.format("%s: the initrd (%d bytes at 0x%x) does not fit in "
                        + "%d MiB of RAM", name, initrd.length, at, ramSize >> 20));
            }
            RawImage.of(name + " initrd", initrd).loadAt(mem, at);
            mem.write64(INITRD_START, at);
            mem.write64(INITRD_SIZE, initrd.length);
        }
        return entry;
    }

    private static void writeCommandLine(GuestMemory mem, String name, String cmdline) {
        if (!mem.contains(COMMAND_LINE, 1)) {
            return;
        }
        long max = mem.read64(MAX_COMMAND_LINE_SIZE);
        if (max == 0) {
            max = LEGACY_COMMAND_LINE_SIZE;
        }
        byte[] b = cmdline.getBytes(StandardCharsets.UTF_8);
        if (b.length + 1 > max) {
            throw HyperportException.badInput(String.format("%s: kernel command line is %d bytes; the kernel "
                    + "accepts at most %d", name, b.length, max - 1));
        }
        mem.writeBytes(COMMAND_LINE, b, 0, b.length);
        mem.write8(COMMAND_LINE + b.length, 0);
    }
}
