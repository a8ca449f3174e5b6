package org.hyperport.api;

/** A VMM-side access outside guest RAM. */
public class GuestMemoryException extends HyperportException {
    public GuestMemoryException(String message) {
        super(BAD_INPUT, message);
    }
}
