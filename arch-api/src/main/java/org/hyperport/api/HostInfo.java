package org.hyperport.api;

/**
 * What the host offers, probed once per process. Implemented in {@code common} with POSIX calls; tests substitute
 * fixed values to exercise every reason an engine can be unusable.
 */
public interface HostInfo {

    /** The host machine as {@code uname -m} spells it ({@code x86_64}, {@code aarch64}, {@code s390x}, ...). */
    String machine();

    /** The state of {@code /dev/kvm} for this process. */
    KvmAccess kvm();

    /** Result of probing {@code /dev/kvm}. */
    record KvmAccess(Status status, String detail) {
        public enum Status { USABLE, ABSENT, NO_PERMISSION, BROKEN }

        public boolean usable() {
            return status == Status.USABLE;
        }
    }
}
