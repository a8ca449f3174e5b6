package org.hyperport.common.kvm;

import org.hyperport.api.HyperportException;
import org.hyperport.common.posix.Posix;

/** The {@code /dev/kvm} system file descriptor. */
public final class Kvm implements AutoCloseable {

    public static final String DEVICE = "/dev/kvm";

    private final int fd;
    private final int vcpuMmapSize;

    private Kvm(int fd) {
        this.fd = fd;
        int version = Posix.ioctl(fd, KvmIoctl.KVM_GET_API_VERSION, 0L);
        if (version != KvmIoctl.KVM_API_VERSION) {
            Posix.close(fd);
            throw new HyperportException(HyperportException.ENGINE_UNAVAILABLE,
                    "KVM API version " + version + ", expected " + KvmIoctl.KVM_API_VERSION);
        }
        this.vcpuMmapSize = (int) Posix.check(Posix.ioctl(fd, KvmIoctl.KVM_GET_VCPU_MMAP_SIZE, 0L),
                "KVM_GET_VCPU_MMAP_SIZE");
    }

    /** Opens {@code /dev/kvm}; failure is an {@link HyperportException#ENGINE_UNAVAILABLE} with the reason. */
    public static Kvm open() {
        int fd = Posix.open(DEVICE, Posix.O_RDWR | Posix.O_CLOEXEC);
        if (fd < 0) {
            int e = Posix.errno();
            throw new HyperportException(HyperportException.ENGINE_UNAVAILABLE,
                    "cannot open " + DEVICE + ": " + Posix.strerror(e));
        }
        return new Kvm(fd);
    }

    public int fd() {
        return fd;
    }

    public int vcpuMmapSize() {
        return vcpuMmapSize;
    }

    /** {@code KVM_CHECK_EXTENSION}: 0 if absent, otherwise the capability's value. */
    public int checkExtension(int cap) {
        return Math.max(0, Posix.ioctl(fd, KvmIoctl.KVM_CHECK_EXTENSION, cap));
    }

    public KvmVm createVm() {
        int vmfd;
        while (true) {
            vmfd = Posix.ioctl(fd, KvmIoctl.KVM_CREATE_VM, 0L);
            if (vmfd >= 0 || Posix.errno() != Posix.EINTR) {
                break;
            }
        }
        Posix.check(vmfd, "KVM_CREATE_VM");
        return new KvmVm(this, vmfd);
    }

    @Override
    public void close() {
        Posix.close(fd);
    }
}
