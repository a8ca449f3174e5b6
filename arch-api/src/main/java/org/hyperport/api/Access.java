package org.hyperport.api;

/** The kind of access being translated. Architectures: all. */
public enum Access {
    READ, WRITE, EXECUTE
}
