package org.hyperport.common.vm;

/**
 * How a VM ended.
 *
 * @param status  the process exit status hyperport returns
 * @param message one line for the user (empty for a quiet, successful guest exit)
 * @param detail  more lines (CPU dump) or empty
 */
public record VmOutcome(int status, String message, String detail) {
}
