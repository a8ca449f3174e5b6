package org.hyperport.common.host;

import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.hyperport.api.HostInfo;
import org.hyperport.common.kvm.Kvm;
import org.hyperport.common.kvm.KvmIoctl;
import org.hyperport.common.posix.Posix;

/**
 * Probes the host once: {@code uname} for the machine, and for {@code /dev/kvm} an actual open and
 * {@code KVM_GET_API_VERSION}; when the open fails, {@code stat}/{@code access} (jnr-posix) tell whether the device is
 * absent, forbidden or broken, so that the reason an engine is unusable names the real cause.
 */
public final class PosixHostInfo implements HostInfo {

    private static final int R_OK = 4;
    private static final int W_OK = 2;

    private final String machine;
    private final KvmAccess kvm;

    public PosixHostInfo() {
        this.machine = Posix.unameMachine();
        this.kvm = probeKvm();
    }

    /**
     * Opening the device is the test that matters and is cheap; jnr-posix (whose first use costs ~150 ms of
     * class generation) is only loaded to explain a failure.
     */
    private static KvmAccess probeKvm() {
        int fd = Posix.open(Kvm.DEVICE, Posix.O_RDWR | Posix.O_CLOEXEC);
        if (fd >= 0) {
            int version = Posix.ioctl(fd, KvmIoctl.KVM_GET_API_VERSION, 0L);
            Posix.close(fd);
            return version == KvmIoctl.KVM_API_VERSION
                    ? new KvmAccess(KvmAccess.Status.USABLE, Kvm.DEVICE + " (KVM API " + version + ")")
                    : new KvmAccess(KvmAccess.Status.BROKEN, Kvm.DEVICE + " speaks KVM API " + version
                            + ", expected " + KvmIoctl.KVM_API_VERSION);
        }
        int errno = Posix.errno();
        try {
            return explain(errno);
        } catch (RuntimeException | LinkageError e) {
            return new KvmAccess(KvmAccess.Status.BROKEN, "cannot open " + Kvm.DEVICE + ": "
                    + Posix.strerror(errno));
        }
    }

    private static KvmAccess explain(int openErrno) {
        POSIX posix = POSIXFactory.getNativePOSIX();
        FileStat st = posix.allocateStat();
        if (posix.stat(Kvm.DEVICE, st) != 0) {
            return new KvmAccess(KvmAccess.Status.ABSENT, "no " + Kvm.DEVICE
                    + " (KVM module not loaded, or not exposed to this container)");
        }
        if (!st.isCharDev()) {
            return new KvmAccess(KvmAccess.Status.BROKEN, Kvm.DEVICE + " is not a character device");
        }
        if (posix.access(Kvm.DEVICE, R_OK | W_OK) != 0) {
            return new KvmAccess(KvmAccess.Status.NO_PERMISSION, String.format(
                    "permission denied on %s (mode %o, owner uid %d gid %d; this process runs as uid %d)",
                    Kvm.DEVICE, st.mode() & 07777, st.uid(), st.gid(), posix.geteuid()));
        }
        return new KvmAccess(KvmAccess.Status.BROKEN, "cannot open " + Kvm.DEVICE + ": "
                + Posix.strerror(openErrno));
    }

    @Override
    public String machine() {
        return machine;
    }

    @Override
    public KvmAccess kvm() {
        return kvm;
    }
}
