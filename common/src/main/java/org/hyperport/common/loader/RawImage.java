package org.hyperport.common.loader;

import org.hyperport.api.GuestMemory;
import org.hyperport.api.HyperportException;
import org.hyperport.common.memory.RamGuestMemory;

/**
 * A flat run of image bytes loaded at a guest-physical address, zero-filled up to a memory size: an ELF PT_LOAD
 * segment, the protected-mode part of a bzImage, a Multiboot a.out-kludge image, an initrd.
 *
 * @param name   file name, for messages
 * @param bytes  the whole file
 * @param offset first byte of the run in {@code bytes}
 * @param length bytes in the run
 */
public record RawImage(String name, byte[] bytes, int offset, int length) {

    private static final long MIB = 1L << 20;

    public RawImage {
        if (offset < 0 || length < 0 || offset > bytes.length || length > bytes.length - offset) {
            throw HyperportException.badInput(String.format("%s: data at offset 0x%x (0x%x bytes) lies past the end"
                    + " of the file (%d bytes)", name, offset, length, bytes.length));
        }
    }

    /** The whole file as one run. */
    public static RawImage of(String name, byte[] bytes) {
        return new RawImage(name, bytes, 0, bytes.length);
    }

    /** Copies the run to {@code gpa}. */
    public void loadAt(GuestMemory mem, long gpa) {
        loadAt(mem, gpa, length);
    }

    /** Copies the run to {@code gpa} and zero-fills {@code [gpa+length, gpa+memLength)} (ELF p_memsz semantics). */
    public void loadAt(GuestMemory mem, long gpa, long memLength) {
        if (memLength < length) {
            throw new IllegalArgumentException("memLength " + memLength + " < length " + length);
        }
        requireRam(mem, name, gpa, memLength);
        if (length > 0) {
            mem.writeBytes(gpa, bytes, offset, length);
        }
        if (memLength > length) {
            mem.fill(gpa + length, memLength - length, (byte) 0);
        }
    }

    /**
     * Fails with a bad-input error naming the highest address needed unless {@code [gpa, gpa+length)} lies in RAM.
     */
    public static void requireRam(GuestMemory mem, String name, long gpa, long length) {
        long end = gpa + length;
        if (length < 0 || Long.compareUnsigned(end, gpa) < 0) {
            throw HyperportException.badInput(String.format("%s: 0x%x bytes at 0x%x wrap around the address space",
                    name, length, gpa));
        }
        if (length > 0 && !mem.contains(gpa, length)) {
            throw HyperportException.badInput(String.format("%s: kernel needs RAM up to 0x%x, machine has %s",
                    name, end, describe(mem)));
        }
    }

    /** The machine's RAM for messages: {@code 64 MiB (RAM 0x0-0x4000000)}. */
    public static String describe(GuestMemory mem) {
        String size = mem.size() % MIB == 0 ? (mem.size() / MIB) + " MiB" : String.format("0x%x bytes", mem.size());
        return mem instanceof RamGuestMemory ram ? size + " (" + ram.layout() + ")" : size;
    }
}
