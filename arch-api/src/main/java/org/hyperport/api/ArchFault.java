package org.hyperport.api;

/**
 * An architectural fault, exactly as the architecture reports it: x86 #PF with its error code and CR2, a Power DSI with
 * DSISR/DAR, an s390 program-interruption code with its translation-exception identification, an IA-64 vector with
 * ISR/IFA. Each architecture implements this with records of its own.
 */
public interface ArchFault {

    /** The manual's name of the fault ({@code #PF}, {@code DSI}, {@code segment-translation}, {@code Data TLB}). */
    String name();

    /** The primary code: vector, program-interruption code or IVT offset. */
    long code();

    /** A one-line rendering with every detail field. */
    String describe();
}
