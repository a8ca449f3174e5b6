package org.hyperport.x86.decode;

/**
 * Where {@link X86Decoder} reads instruction bytes from. The decoder calls {@link #fetch} once per byte, in order,
 * for {@code ip}, {@code ip + 1}, ... up to {@code ip + 14}, and never beyond: the caller decides what {@code ip}
 * means (normally the offset in CS, so that the source adds CS.base and checks CS.limit, and so that relative branch
 * targets come out as offsets), and does any paging and permission checks for instruction fetches.
 */
@FunctionalInterface
public interface ByteSource {

    /** A value {@link #fetch} may return when the byte cannot be fetched (any negative value means the same). */
    int FAULT = -1;

    /**
     * The byte at {@code address}, 0-255, or a negative value if fetching it faults (page fault, segment limit...).
     * The decoder then stops and reports {@link Instruction.Status#FETCH_FAULT} with that address; it never throws.
     */
    int fetch(long address);

    /** A source over a byte array: address {@code base + i} is {@code bytes[i]}; anything else faults. */
    static ByteSource of(byte[] bytes, long base) {
        return address -> {
            long i = address - base;
            return i >= 0 && i < bytes.length ? bytes[(int) i] & 0xff : FAULT;
        };
    }
}
