package org.hyperport.api;

/**
 * An error the user sees as one line, with the process exit status it maps to. Anything that reaches the launcher
 * as this type is printed as {@code hyperport: <message>} without a stack trace.
 */
public class HyperportException extends RuntimeException {

    /** Internal error of the VMM itself (a bug, or a host failure such as an ioctl that should not fail). */
    public static final int INTERNAL = 1;
    /** Bad input: unknown option or architecture, missing or corrupt image, memory too small. */
    public static final int BAD_INPUT = 2;
    /** The guest crashed: triple fault, unrecoverable engine error, KVM internal error. */
    public static final int GUEST_CRASH = 3;
    /** The requested engine cannot run on this host. */
    public static final int ENGINE_UNAVAILABLE = 4;

    private final int exitStatus;

    public HyperportException(int exitStatus, String message) {
        super(message);
        this.exitStatus = exitStatus;
    }

    public HyperportException(int exitStatus, String message, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    public static HyperportException badInput(String message) {
        return new HyperportException(BAD_INPUT, message);
    }

    public int exitStatus() {
        return exitStatus;
    }
}
