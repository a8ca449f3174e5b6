package org.hyperport.s390.machine;

import java.util.List;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.S390Interpreter;

/**
 * SIGNAL PROCESSOR orders across the configuration's CPUs (PoP Ch. 4 "Signal Processor", LNX
 * {@code arch/s390/kvm/sigp.c}, QEMU {@code target/s390x/sigp.c}). Returns the condition code: 0 accepted, 1 status
 * stored in bits 32-63 of R1, 2 busy, 3 not operational (no such CPU).
 */
public final class Sigp {

    public static final int SENSE = 1, EXTERNAL_CALL = 2, EMERGENCY_SIGNAL = 3, START = 4, STOP = 5, RESTART = 6,
            STOP_AND_STORE_STATUS = 9, INITIAL_CPU_RESET = 11, CPU_RESET = 12, SET_PREFIX = 13,
            STORE_STATUS_AT_ADDRESS = 14, SET_ARCHITECTURE = 18, COND_EMERGENCY_SIGNAL = 19, SENSE_RUNNING = 21;

    /** Status bits (PoP Figure "Status Stored"). */
    public static final int STAT_EQUIPMENT_CHECK = 0x80000000, STAT_NOT_RUNNING = 0x400,
            STAT_INCORRECT_STATE = 0x200, STAT_INVALID_PARAMETER = 0x100, STAT_EXT_CALL_PENDING = 0x80,
            STAT_STOPPED = 0x40, STAT_OPERATOR_INTERVENING = 0x20, STAT_CHECK_STOP = 0x10,
            STAT_INOPERATIVE = 0x04, STAT_INVALID_ORDER = 0x02, STAT_RECEIVER_CHECK = 0x01;

    private final List<S390Cpu> cpus;
    private final long storageSize;
    private final S390Cpu.StatusStore store;

    public Sigp(List<S390Cpu> cpus, long storageSize, S390Cpu.StatusStore store) {
        this.cpus = cpus;
        this.storageSize = storageSize;
        this.store = store;
    }

    /** Executes {@code order}; for CC 1 the status is in {@code status[0]}. */
    public int order(S390Interpreter sender, int order, int address, long parameter, int[] status) {
        if (order == SET_ARCHITECTURE) {
            // With CZAM (facility 138) the CPU is always in z/Architecture mode: the order is rejected, as QEMU does.
            boolean othersStopped = cpus.stream().allMatch(c -> c.address() == sender.cpuAddress() || c.stopped());
            status[0] = othersStopped ? STAT_INVALID_PARAMETER : STAT_INCORRECT_STATE;
            return 1;
        }
        if (address < 0 || address >= cpus.size()) {
            return 3;
        }
        S390Cpu dst = cpus.get(address);
        synchronized (dst) {
            if (dst.busy()) {
                return 2;
            }
            return switch (order) {
                case SENSE -> sense(dst, status);
                case EXTERNAL_CALL -> {
                    if (!dst.interpreter().postExternalCall(sender.cpuAddress())) {
                        status[0] = STAT_EXT_CALL_PENDING;
                        yield 1;
                    }
                    dst.wake();
                    yield 0;
                }
                case EMERGENCY_SIGNAL -> {
                    dst.interpreter().postEmergencySignal(sender.cpuAddress());
                    dst.wake();
                    yield 0;
                }
                case COND_EMERGENCY_SIGNAL -> conditionalEmergency(sender, dst, parameter, status);
                case START -> {
                    if (dst.stopped()) {
                        dst.start();
                    }
                    yield 0;
                }
                case STOP -> {
                    if (!dst.stopped()) {
                        dst.request(S390Cpu.REQ_STOP);
                    }
                    yield 0;
                }
                case STOP_AND_STORE_STATUS -> {
                    if (dst.stopped()) {
                        store.store(dst.interpreter(), 0x1200, true);
                    } else {
                        dst.request(S390Cpu.REQ_STOP | S390Cpu.REQ_STORE_STATUS);
                    }
                    yield 0;
                }
                case RESTART -> {
                    dst.interpreter().postRestart();
                    if (dst.stopped()) {
                        dst.start();
                    } else {
                        dst.wake();
                    }
                    yield 0;
                }
                case INITIAL_CPU_RESET, CPU_RESET -> {
                    if (dst.stopped() && dst != self(sender)) {
                        if (order == INITIAL_CPU_RESET) {
                            dst.initialReset();
                        } else {
                            dst.cpuReset();
                        }
                        dst.attention = true;
                    } else {
                        dst.request(order == INITIAL_CPU_RESET ? S390Cpu.REQ_INITIAL_RESET : S390Cpu.REQ_CPU_RESET);
                    }
                    yield 0;
                }
                case SET_PREFIX -> {
                    long prefix = parameter & 0x7fffe000L;
                    if (!dst.stopped()) {
                        status[0] = STAT_INCORRECT_STATE;
                        yield 1;
                    }
                    if (prefix + 0x2000 > storageSize) {
                        status[0] = STAT_INVALID_PARAMETER;
                        yield 1;
                    }
                    dst.registers().prefix = prefix;
                    dst.attention = true;
                    yield 0;
                }
                case STORE_STATUS_AT_ADDRESS -> {
                    long at = parameter & 0x7ffffe00L;
                    if (!dst.stopped()) {
                        status[0] = STAT_INCORRECT_STATE;
                        yield 1;
                    }
                    if (at + 0x200 > storageSize) {
                        status[0] = STAT_INVALID_PARAMETER;
                        yield 1;
                    }
                    store.store(dst.interpreter(), at, false);
                    yield 0;
                }
                case SENSE_RUNNING -> {
                    boolean running = !dst.stopped()
                            && (dst.registers().pswMask & S390CpuState.PSW_WAIT) == 0;
                    if (running) {
                        yield 0;
                    }
                    status[0] = STAT_NOT_RUNNING;
                    yield 1;
                }
                default -> {
                    status[0] = STAT_INVALID_ORDER;
                    yield 1;
                }
            };
        }
    }

    private S390Cpu self(S390Interpreter sender) {
        return cpus.get(sender.cpuAddress());
    }

    private static int sense(S390Cpu dst, int[] status) {
        int s = 0;
        if (dst.interpreter().externalCallPending()) {
            s |= STAT_EXT_CALL_PENDING;
        }
        if (dst.stopped()) {
            s |= STAT_STOPPED;
        }
        if (s == 0) {
            return 0;
        }
        status[0] = s;
        return 1;
    }

    /**
     * CONDITIONAL EMERGENCY SIGNAL: the signal is made pending unless the destination is stopped... or waiting
     * disabled, or enabled with a PSW address of 0, or running with neither ASN matching the parameter (PoP; as QEMU
     * tests it).
     */
    private static int conditionalEmergency(S390Interpreter sender, S390Cpu dst, long parameter, int[] status) {
        S390CpuState s = dst.registers();
        long mask = s.pswMask;
        boolean idle = (mask & S390CpuState.PSW_WAIT) != 0;
        int asn = (int) (parameter & 0xffff);
        int pAsn = (int) (s.cr[4] & 0xffff);
        int sAsn = (int) (s.cr[3] & 0xffff);
        if (!dst.stopped()
                || ((mask & (S390CpuState.PSW_IO | S390CpuState.PSW_EXT)) != 0 && s.pswAddr != 0)
                || (idle && s.pswAddr != 0)
                || (!idle && (asn == pAsn || asn == sAsn))) {
            dst.interpreter().postEmergencySignal(sender.cpuAddress());
            dst.wake();
            return 0;
        }
        status[0] = STAT_INCORRECT_STATE;
        return 1;
    }
}
