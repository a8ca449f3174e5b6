package org.hyperport.common.kvm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.hyperport.api.HyperportException;
import org.hyperport.common.posix.Posix;

/** A KVM VM file descriptor: memory slots, vCPUs, interrupt lines and ioeventfds. Architectures: all. */
public final class KvmVm implements AutoCloseable {

    private final Kvm kvm;
    private final int fd;
    private final MemorySegment irqLevel = Arena.global().allocate(8);

    KvmVm(Kvm kvm, int fd) {
        this.kvm = kvm;
        this.fd = fd;
    }

    public Kvm kvm() {
        return kvm;
    }

    public int fd() {
        return fd;
    }

    public int checkExtension(int cap) {
        return Math.max(0, Posix.ioctl(fd, KvmIoctl.KVM_CHECK_EXTENSION, cap));
    }

    /** Issues a VM ioctl with a pointer argument; throws on failure. */
    public int ioctl(long request, MemorySegment arg, String name) {
        return (int) Posix.check(Posix.ioctl(fd, request, arg), name);
    }

    /** Issues a VM ioctl with an integer argument; throws on failure. */
    public int ioctl(long request, long arg, String name) {
        return (int) Posix.check(Posix.ioctl(fd, request, arg), name);
    }

    /** {@code KVM_SET_USER_MEMORY_REGION}: maps {@code host} at {@code gpa} as slot {@code slot}. */
    public void setUserMemoryRegion(int slot, long gpa, MemorySegment host) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(32, 8);
            r.set(ValueLayout.JAVA_INT, 0, slot);
            r.set(ValueLayout.JAVA_INT, 4, 0); // flags
            r.set(ValueLayout.JAVA_LONG, 8, gpa);
            r.set(ValueLayout.JAVA_LONG, 16, host.byteSize());
            r.set(ValueLayout.JAVA_LONG, 24, host.address());
            ioctl(KvmIoctl.KVM_SET_USER_MEMORY_REGION, r, "KVM_SET_USER_MEMORY_REGION");
        }
    }

    /** {@code KVM_CREATE_IRQCHIP}: the in-kernel interrupt controller (x86: PIC pair + IOAPIC + LAPICs). */
    public void createIrqchip() {
        ioctl(KvmIoctl.KVM_CREATE_IRQCHIP, 0L, "KVM_CREATE_IRQCHIP");
    }

    /** {@code KVM_IRQ_LINE}: drives in-kernel irqchip input {@code gsi}. Allocation-free; synchronized on the VM. */
    public synchronized void irqLine(int gsi, boolean level) {
        irqLevel.set(ValueLayout.JAVA_INT, 0, gsi);
        irqLevel.set(ValueLayout.JAVA_INT, 4, level ? 1 : 0);
        Posix.check(Posix.ioctl(fd, KvmIoctl.KVM_IRQ_LINE, irqLevel), "KVM_IRQ_LINE");
    }

    /**
     * {@code KVM_IOEVENTFD}: makes guest writes to {@code addr} signal {@code eventFd} in the kernel without an exit.
     *
     * @param pio       port I/O (x86) rather than MMIO
     * @param datamatch only writes of this value, if non-null
     */
    public void ioeventfd(long addr, int len, int eventFd, boolean pio, Long datamatch) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(64, 8);
            int flags = (pio ? KvmIoctl.KVM_IOEVENTFD_FLAG_PIO : 0)
                    | (datamatch != null ? KvmIoctl.KVM_IOEVENTFD_FLAG_DATAMATCH : 0);
            s.set(ValueLayout.JAVA_LONG, 0, datamatch == null ? 0 : datamatch);
            s.set(ValueLayout.JAVA_LONG, 8, addr);
            s.set(ValueLayout.JAVA_INT, 16, len);
            s.set(ValueLayout.JAVA_INT, 20, eventFd);
            s.set(ValueLayout.JAVA_INT, 24, flags);
            ioctl(KvmIoctl.KVM_IOEVENTFD, s, "KVM_IOEVENTFD");
        }
    }

    /** {@code KVM_CREATE_VCPU} and the mmap of its {@code kvm_run}. */
    public KvmVcpuFd createVcpu(int id) {
        int vfd = Posix.ioctl(fd, KvmIoctl.KVM_CREATE_VCPU, id);
        if (vfd < 0) {
            int e = Posix.errno();
            throw new HyperportException(HyperportException.INTERNAL,
                    "KVM_CREATE_VCPU " + id + " failed: " + Posix.strerror(e));
        }
        MemorySegment run = Posix.mmap(kvm.vcpuMmapSize(), Posix.PROT_READ | Posix.PROT_WRITE, Posix.MAP_SHARED,
                vfd, 0);
        return new KvmVcpuFd(id, vfd, run);
    }

    @Override
    public void close() {
        Posix.close(fd);
    }
}
