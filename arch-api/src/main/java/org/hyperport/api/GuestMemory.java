package org.hyperport.api;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Guest RAM as the VMM sees it, indexed by guest-physical address ({@code gpa}): on s390 that is the absolute address,
 * on Power the (guest) real address — {@link #space()} says which. The same memory backs every engine, so that a
 * KVM memory slot and the interpreter see one copy.
 *
 * <p>Multi-byte accessors use {@link #order()}, the architecture's byte order; the {@code LE} variants exist for
 * structures whose format fixes the order regardless of the guest (Linux x86 boot_params, ACPI tables).
 *
 * <p>An access outside RAM throws {@link GuestMemoryException}. That is a VMM-side error (a loader bug or a bad image);
 * a <em>guest</em> access to unmapped memory never comes through here, it becomes a bus access or an architectural
 * fault in the engine.
 */
public interface GuestMemory {

    AddressSpace space();

    ByteOrder order();

    /** Total RAM bytes. */
    long size();

    /** Whether {@code [gpa, gpa+length)} lies wholly in RAM. */
    boolean contains(long gpa, long length);

    /** A view of {@code [gpa, gpa+length)}; throws {@link GuestMemoryException} if not wholly in one RAM region. */
    MemorySegment slice(long gpa, long length);

    int read8(long gpa);

    int read16(long gpa);

    int read32(long gpa);

    long read64(long gpa);

    void write8(long gpa, int value);

    void write16(long gpa, int value);

    void write32(long gpa, int value);

    void write64(long gpa, long value);

    default void write16LE(long gpa, int value) {
        slice(gpa, 2).set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                (short) value);
    }

    default void write32LE(long gpa, int value) {
        slice(gpa, 4).set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                value);
    }

    default void write64LE(long gpa, long value) {
        slice(gpa, 8).set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                value);
    }

    default int read32LE(long gpa) {
        return slice(gpa, 4).get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                0);
    }

    default long read64LE(long gpa) {
        return slice(gpa, 8).get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                0);
    }

    void readBytes(long gpa, byte[] dst, int off, int len);

    void writeBytes(long gpa, byte[] src, int off, int len);

    default void writeBytes(long gpa, byte[] src) {
        writeBytes(gpa, src, 0, src.length);
    }

    /** Zero-fills {@code [gpa, gpa+length)}. */
    void fill(long gpa, long length, byte value);
}
