package org.hyperport.common.host;

import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.hyperport.api.HostInfo;
import org.hyperport.common.kvm.Kvm;
import org.hyperport.common.posix.Posix;

/**
 * Probes the host once: {@code uname} for the machine, and {@code stat}/{@code access} (jnr-posix) plus an actual open
 * and {@code KVM_GET_API_VERSION} for {@code /dev/kvm}, so that the reason an engine is unusable names the real cause.
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

    private static KvmAccess probeKvm() {
        POSIX posix = POSIXFactory.getNativePOSIX();
        FileStat st;
        try {
            st = posix.allocateStat();
            if (posix.stat(Kvm.DEVICE, st) != 0) {
                return new KvmAccess(KvmAccess.Status.ABSENT, "no " + Kvm.DEVICE
                        + " (KVM module not loaded, or not exposed to this container)");
            }
        } catch (RuntimeException | LinkageError e) {
            return new KvmAccess(KvmAccess.Status.BROKEN, "cannot stat " + Kvm.DEVICE + ": " + e.getMessage());
        }
        if (!st.isCharDev()) {
            return new KvmAccess(KvmAccess.Status.BROKEN, Kvm.DEVICE + " is not a character device");
        }
        if (posix.access(Kvm.DEVICE, R_OK | W_OK) != 0) {
            return new KvmAccess(KvmAccess.Status.NO_PERMISSION, String.format(
                    "permission denied on %s (mode %o, owner uid %d gid %d; this process runs as uid %d)",
                    Kvm.DEVICE, st.mode() & 07777, st.uid(), st.gid(), posix.geteuid()));
        }
        try (Kvm k = Kvm.open()) {
            return new KvmAccess(KvmAccess.Status.USABLE, Kvm.DEVICE + " (API " + 12 + ", vCPU mmap "
                    + k.vcpuMmapSize() + " bytes)");
        } catch (RuntimeException e) {
            return new KvmAccess(KvmAccess.Status.BROKEN, e.getMessage());
        }
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
