package org.hyperport.api;

/**
 * One interrupt input as a device sees it: the device drives a level and knows nothing of the controller behind it.
 * Edge-triggered sources call {@link #pulse()}.
 */
@FunctionalInterface
public interface IrqLine {

    void set(boolean asserted);

    default void pulse() {
        set(true);
        set(false);
    }

    /** A line connected to nothing. */
    IrqLine NONE = asserted -> { };
}
