package org.hyperport.s390.interp;

import org.hyperport.s390.decode.Insn;

/**
 * The semantics of one instruction of the table: reads its operands from {@code i}'s fields, works on
 * {@code c}'s state and memory, and sets the condition code. A program-interruption condition is thrown with
 * {@code throw c.fault().raise(code)}; the instruction must then have changed nothing that the ending type
 * (nullify, suppress) says it must not.
 */
@FunctionalInterface
public interface Semantics {
    void execute(S390Interpreter c, Insn i);
}
