package org.hyperport.x86.interp;

/**
 * What the interpreter needs from the machine beyond RAM: port I/O and accesses to physical addresses that are not
 * RAM. This narrow callback is all the instruction semantics depend on, so the same interpreter can run a whole
 * guest or emulate one instruction after a KVM MMIO exit.
 */
public interface X86Platform {

    long ioIn(int port, int size);

    void ioOut(int port, int size, long value);

    long mmioRead(long gpa, int size);

    void mmioWrite(long gpa, int size, long value);
}
