package org.hyperport.common.kvm;

import org.hyperport.common.posix.Posix;

/**
 * The signal used to interrupt {@code KVM_RUN}. A signal with a real handler installed makes the ioctl return
 * {@code EINTR}; the JVM's own handler for {@code sun.misc.Signal} serves, and its Java-side callback does nothing.
 * SIGURG is used because neither HotSpot nor terminals claim it.
 */
final class VcpuSignals {

    private static final int SIGURG = 23;
    private static volatile boolean installed;

    private VcpuSignals() {
    }

    @SuppressWarnings("restriction")
    static synchronized void install() {
        if (installed) {
            return;
        }
        sun.misc.Signal.handle(new sun.misc.Signal("URG"), sig -> { });
        installed = true;
    }

    static void kick(long pthread) {
        install();
        Posix.pthreadKill(pthread, SIGURG);
    }
}
