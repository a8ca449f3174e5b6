package org.hyperport.common.posix;

import org.hyperport.api.HyperportException;

/** A failed system call, with the call and errno in the message. */
public class PosixException extends HyperportException {

    private final int errno;

    public PosixException(String call, int errno, String text) {
        super(INTERNAL, call + " failed: " + text + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
