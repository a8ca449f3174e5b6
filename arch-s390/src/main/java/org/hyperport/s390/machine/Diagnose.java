package org.hyperport.s390.machine;

import org.hyperport.api.VmControl;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;

/**
 * DIAGNOSE (83) as the KVM/QEMU hypervisor answers it (DIAGNOSE is model-dependent, PoP Ch. 10; the codes are
 * those of LNX {@code arch/s390/kvm/diag.c} and QEMU {@code target/s390x/diag.c}). Unknown codes raise a
 * specification exception.
 */
public final class Diagnose {

    public static final int YIELD = 0x44, DIRECTED_YIELD = 0x9c, WATCHDOG = 0x288, IPL = 0x308,
            VIRTIO_HYPERCALL = 0x500;
    /** DIAGNOSE 308 subcodes (QEMU {@code DIAG308_*}). */
    public static final int RESET_MOD_CLR = 0, RESET_LOAD_NORM = 1, LOAD_CLEAR = 3, LOAD_NORMAL_DUMP = 4,
            SET = 5, STORE = 6;
    /** DIAGNOSE 308 return codes in R1+1. */
    public static final int RC_OK = 0x0001, RC_NO_CONF = 0x0102, RC_INVALID = 0x0402;
    /** virtio-ccw hypercall function codes in R1 (KVM_S390_VIRTIO_CCW_NOTIFY and its neighbours). */
    static final int VIRTIO_NOTIFY = 0, VIRTIO_CCW_NOTIFY = 3;
    static final long EINVAL = -22;

    private final VmControl control;
    /** The IPL parameter block DIAGNOSE 308 "set" stored; null until then. */
    private byte[] iplb;

    public Diagnose(VmControl control) {
        this.control = control;
    }

    public void execute(S390Interpreter cpu, int code, int r1, int r3) {
        long[] gpr = cpu.state().gpr;
        switch (code & 0xffff) {
            case YIELD, DIRECTED_YIELD -> {
                Thread.onSpinWait();
            }
            case WATCHDOG -> cpu.setCc(0); // accepted; the watchdog never fires
            case IPL -> ipl(cpu, gpr, r1, r3);
            case VIRTIO_HYPERCALL -> {
                // No virtio-ccw devices: a notify (subcode 0 or 3 in R1) names no device, and QEMU answers -EINVAL in
                // R2; any other subcode is a specification exception (QEMU handle_diag_500).
                if (gpr[1] == VIRTIO_NOTIFY || gpr[1] == VIRTIO_CCW_NOTIFY) {
                    gpr[2] = EINVAL;
                } else {
                    throw cpu.fault().raise(ProgramInterruption.SPECIFICATION);
                }
            }
            default -> throw cpu.fault().raise(ProgramInterruption.SPECIFICATION);
        }
    }

    private void ipl(S390Interpreter cpu, long[] gpr, int r1, int r3) {
        long subcode = gpr[r3];
        if ((subcode & ~0xffffL) != 0) {
            throw cpu.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        switch ((int) subcode) {
            case RESET_MOD_CLR, RESET_LOAD_NORM, LOAD_CLEAR, LOAD_NORMAL_DUMP ->
                    control.reset("DIAGNOSE 308 subcode " + subcode);
            case SET, STORE -> {
                long addr = gpr[r1];
                if ((r1 & 1) != 0 || (addr & 0xfff) != 0) {
                    throw cpu.fault().raise(ProgramInterruption.SPECIFICATION);
                }
                if (!cpu.inStorage(addr, 0x1000)) {
                    throw cpu.fault().raise(ProgramInterruption.ADDRESSING);
                }
                if (subcode == SET) {
                    int len = (int) cpu.readReal(addr, 4);
                    if (len < 8 || len > 0x1000) {
                        gpr[r1 + 1] = RC_INVALID;
                        return;
                    }
                    byte[] b = new byte[len];
                    for (int i = 0; i < len; i++) {
                        b[i] = (byte) cpu.readReal(addr + i, 1);
                    }
                    synchronized (this) {
                        iplb = b;
                    }
                    gpr[r1 + 1] = RC_OK;
                } else {
                    byte[] b;
                    synchronized (this) {
                        b = iplb;
                    }
                    if (b == null) {
                        gpr[r1 + 1] = RC_NO_CONF;
                        return;
                    }
                    for (int i = 0; i < b.length; i++) {
                        cpu.writeReal(addr + i, 1, b[i]);
                    }
                    gpr[r1 + 1] = RC_OK;
                }
            }
            default -> throw cpu.fault().raise(ProgramInterruption.SPECIFICATION);
        }
    }
}
