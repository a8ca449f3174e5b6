package org.hyperport.s390.interp;

/**
 * What a CPU needs from the machine around it (STYLE §9: the interpreter sees a narrow platform): the service
 * processor (SCLP) behind SERVICE CALL, the other CPUs behind SIGNAL PROCESSOR, the hypervisor behind DIAGNOSE,
 * and the TOD clock. Implemented by the board; tests implement it with fakes.
 */
public interface S390Platform {

    /**
     * SERVICE CALL (B220): command word and the real address of the SCCB. Returns the condition code: 0 accepted
     * (completion is a service-signal external interruption), 2 busy, 3 not operational. May raise a program
     * interruption through {@code cpu.fault()} (specification for a misaligned SCCB, addressing beyond storage).
     */
    int serviceCall(S390Interpreter cpu, int command, long sccbReal);

    /**
     * SIGNAL PROCESSOR (AE): {@code order} to the CPU at {@code address}, with the parameter register's value.
     * Returns the condition code; for CC 1 the status has been stored into {@code cpu.state().gpr[r1]}'s low half.
     */
    int signalProcessor(S390Interpreter cpu, int order, int address, long parameter, int r1);

    /** DIAGNOSE (83) with {@code code} (the second-operand address), R1 and R3. May set the CC or raise. */
    void diagnose(S390Interpreter cpu, int code, int r1, int r3);

    /** The TOD clock, bit 51 = 1 microsecond (PoP Ch. 4 "TOD Clock"). Strictly increasing per read. */
    long tod();

    /**
     * Purges the TLBs of every other CPU of the configuration ({@link S390Interpreter#requestTlbPurge}): IPTE and
     * IDTE without local clearing, CSP/CSPG with the purge bit, SSKE. A uniprocessor has nothing to do.
     */
    default void purgeTlbs(S390Interpreter source) {
    }

    /** How many CPUs the configuration has (STSI 1.2.2, 2.2.2 and 3.2.2 report it). */
    default int cpuCount() {
        return 1;
    }
}
