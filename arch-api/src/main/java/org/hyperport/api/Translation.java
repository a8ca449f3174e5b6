package org.hyperport.api;

/** The result of an {@link Mmu} translation: a mapping or the exact architectural fault. Never an exception. */
public sealed interface Translation {

    /**
     * A successful translation.
     *
     * @param address  the output address, in {@link Mmu#outputSpace()}
     * @param pageSize size of the page that mapped it
     * @param perms    bitwise OR of {@link #R}, {@link #W}, {@link #X}, {@link #USER}
     */
    record Mapped(long address, long pageSize, int perms) implements Translation {}

    /** The translation faulted. */
    record Fault(ArchFault fault) implements Translation {}

    int R = 1;
    int W = 2;
    int X = 4;
    int USER = 8;
}
