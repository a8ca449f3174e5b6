package org.hyperport.s390.isa;

import org.hyperport.s390.cpu.Facilities;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;

/**
 * The instructions of PoP Ch. 10 "Control Instructions" that work on the PSW, the control registers, the prefix,
 * the timers and the machine around the CPU (SIGP, DIAGNOSE, SERVICE CALL, STSI). The storage-key and DAT
 * instructions of the same chapter are in {@link StorageControlInstructions}; the I/O instructions (Ch. 14) in
 * {@link IoInstructions}. Registering this group registers those too.
 */
public final class ControlInstructions implements S390Semantics.Group {

    /** STIDP / STSI machine type: a z196 (2817), the level Debian's kernel is built for. */
    public static final int MACHINE_TYPE = 0x2817;
    /** CPU identification number, low five hex digits (the leftmost digit is the CPU address). */
    public static final int CPU_SERIAL = 0x12345;

    @Override
    public void register(S390Semantics.Registry r) {
        psw(r);
        controlRegisters(r);
        timers(r);
        machine(r);
        addressSpaces(r);
        new StorageControlInstructions().register(r);
        new IoInstructions().register(r);
    }

    /** Raises a specification exception unless {@code a} is a multiple of {@code n}. */
    static long aligned(S390Interpreter c, long a, int n) {
        if ((a & (n - 1)) != 0) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        return a;
    }

    static long operand(S390Interpreter c, org.hyperport.s390.decode.Insn i) {
        return c.address(0, i.b2, i.d2);
    }

    /** Bits 32-63 of {@code v} replace those of {@code old}. */
    static long low32(long old, long v) {
        return (old & 0xffffffff00000000L) | (v & 0xffffffffL);
    }

    // ---- PSW ------------------------------------------------------------------------------------------------------

    private static void psw(S390Semantics.Registry r) {
        // LOAD PSW: the ESA/390-format short PSW; bit 12 must be one and becomes zero, bits 33-63 are the address.
        r.def("LPSW", (c, i) -> {
            long a = aligned(c, operand(c, i), 8);
            long w = c.read(a, 8);
            if ((w & (1L << (63 - 12))) == 0) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            c.loadPsw(w & 0xffffffff80000000L & ~(1L << (63 - 12)), w & 0x7fffffffL);
        });
        r.def("LPSWE", (c, i) -> {
            long a = aligned(c, operand(c, i), 8);
            long mask = c.read(a, 8);
            long addr = c.read(c.wrap(a + 8), 8);
            c.loadPsw(mask, addr);
        });
        r.def("SSM", (c, i) -> {
            if ((c.state().cr[0] & S390Interpreter.CR0_SSM_SUPPRESSION) != 0) {
                throw c.fault().raise(ProgramInterruption.SPECIAL_OPERATION);
            }
            long b = c.read(operand(c, i), 1);
            setSystemMask(c, (int) b);
        });
        r.def("STNSM", (c, i) -> {
            long a = c.address(0, i.b1, i.d1);
            int old = systemMask(c);
            c.write(a, 1, old);
            setSystemMask(c, old & (int) i.i2);
        });
        r.def("STOSM", (c, i) -> {
            long a = c.address(0, i.b1, i.d1);
            int old = systemMask(c);
            c.write(a, 1, old);
            setSystemMask(c, old | (int) i.i2);
        });
        r.def("SPKA", (c, i) -> {
            int key = (int) (operand(c, i) >>> 4) & 0xf;
            S390CpuState s = c.state();
            if (s.problemState() && (s.cr[3] & (0x80000000L >>> key)) == 0) {
                throw c.fault().raise(ProgramInterruption.PRIVILEGED_OPERATION);
            }
            s.pswMask = (s.pswMask & ~S390CpuState.PSW_KEY) | ((long) key << S390CpuState.PSW_KEY_SHIFT);
        });
        r.def("IPK", (c, i) -> {
            extractionAuthority(c);
            S390CpuState s = c.state();
            s.gpr[2] = (s.gpr[2] & ~0xffL) | ((long) s.key() << 4);
        });
    }

    /** PSW bits 0-7. */
    static int systemMask(S390Interpreter c) {
        return (int) (c.state().pswMask >>> 56) & 0xff;
    }

    /** Replaces PSW bits 0-7; invalid bits are an early specification exception after the change. */
    static void setSystemMask(S390Interpreter c, int mask) {
        S390CpuState s = c.state();
        c.loadPsw((s.psw() & 0x00ffffffffffffffL) | ((long) (mask & 0xff) << 56), c.nextAddr);
    }

    /** In the problem state, extraction (IPK, IVSK, EPAR, ESAR) needs CR0 bit 36, else privileged operation. */
    static void extractionAuthority(S390Interpreter c) {
        S390CpuState s = c.state();
        if (s.problemState() && (s.cr[0] & S390Interpreter.CR0_EXTRACTION_AUTHORITY) == 0) {
            throw c.fault().raise(ProgramInterruption.PRIVILEGED_OPERATION);
        }
    }

    // ---- Control registers, prefix, CPU identity ------------------------------------------------------------------

    private static void controlRegisters(S390Semantics.Registry r) {
        r.def("LCTL", (c, i) -> {
            long a = aligned(c, operand(c, i), 4);
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.probe(a, 4L * n, S390Interpreter.FETCH);
            S390CpuState s = c.state();
            boolean flush = false;
            for (int k = 0; k < n; k++) {
                int cr = (i.r1 + k) & 15;
                flush |= loadControl(s, cr, low32(s.cr[cr], c.read(c.wrap(a + 4L * k), 4)));
            }
            if (flush) {
                c.flushTlb();
            }
        });
        r.def("LCTLG", (c, i) -> {
            long a = aligned(c, operand(c, i), 8);
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.probe(a, 8L * n, S390Interpreter.FETCH);
            S390CpuState s = c.state();
            boolean flush = false;
            for (int k = 0; k < n; k++) {
                flush |= loadControl(s, (i.r1 + k) & 15, c.read(c.wrap(a + 8L * k), 8));
            }
            if (flush) {
                c.flushTlb();
            }
        });
        r.def("STCTL", (c, i) -> {
            long a = aligned(c, operand(c, i), 4);
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.probe(a, 4L * n, S390Interpreter.STORE);
            for (int k = 0; k < n; k++) {
                c.write(c.wrap(a + 4L * k), 4, c.state().cr[(i.r1 + k) & 15]);
            }
        });
        r.def("STCTG", (c, i) -> {
            long a = aligned(c, operand(c, i), 8);
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.probe(a, 8L * n, S390Interpreter.STORE);
            for (int k = 0; k < n; k++) {
                c.write(c.wrap(a + 8L * k), 8, c.state().cr[(i.r1 + k) & 15]);
            }
        });
        r.def("SPX", (c, i) -> {
            long a = aligned(c, operand(c, i), 4);
            long prefix = c.read(a, 4) & 0x7fffe000L;
            if (prefix + 8192 > c.storageSize()) {
                throw c.fault().raise(ProgramInterruption.ADDRESSING);
            }
            c.state().prefix = prefix;
            c.flushTlb();
        });
        r.def("STPX", (c, i) -> c.write(aligned(c, operand(c, i), 4), 4, c.state().prefix));
        r.def("STAP", (c, i) -> c.write(aligned(c, operand(c, i), 2), 2, c.cpuAddress()));
        r.def("STIDP", (c, i) -> c.write(aligned(c, operand(c, i), 8), 8, cpuId(c)));
        r.def("STFL", (c, i) -> c.writeReal32(S390Interpreter.LC_STFL, Facilities.stfle()[0] >>> 32));
        r.def("STSI", SystemInformation::storeSystemInformation);
    }

    /**
     * Loads control register {@code cr}; returns whether translation may have changed: a new value in CR0 (its
     * protection and EDAT controls), CR1, CR7 or CR13 (the ASCEs) or CR2 (AR mode's access lists). The TLB is not
     * tagged by ASCE, so such a change drops it.
     */
    static boolean loadControl(S390CpuState s, int cr, long v) {
        boolean changed = s.cr[cr] != v;
        s.cr[cr] = v;
        return changed && (cr == 0 || cr == 1 || cr == 2 || cr == 7 || cr == 13);
    }

    /**
     * The CPU ID STIDP stores (PoP Ch. 10 "STORE CPU ID"): version code 0, CPU identification number (the CPU
     * address and {@link #CPU_SERIAL}), machine type {@link #MACHINE_TYPE}, format 0.
     */
    public static long cpuId(S390Interpreter c) {
        long ident = ((long) (c.cpuAddress() & 0xf) << 20) | CPU_SERIAL;
        return (ident << 32) | ((long) MACHINE_TYPE << 16);
    }

    // ---- Timing -----------------------------------------------------------------------------------------------

    private static void timers(S390Semantics.Registry r) {
        r.def("SCK", (c, i) -> {
            c.setTod(c.read(aligned(c, operand(c, i), 8), 8));
            c.setCc(0);
        });
        r.def("SCKC", (c, i) -> c.state().clockComparator = c.read(aligned(c, operand(c, i), 8), 8));
        r.def("STCKC", (c, i) -> c.write(aligned(c, operand(c, i), 8), 8, c.state().clockComparator));
        r.def("SPT", (c, i) -> c.setCpuTimer(c.read(aligned(c, operand(c, i), 8), 8)));
        r.def("STPT", (c, i) -> c.write(aligned(c, operand(c, i), 8), 8, c.cpuTimer()));
        r.def("SCKPF", (c, i) -> {
            long g0 = c.state().gpr[0];
            if ((g0 & 0xffff0000L) != 0) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            c.state().todpr = (int) g0 & 0xffff;
        });
        // PERFORM TIMING FACILITY FUNCTION: only "query available functions" (0), which lists only itself.
        r.def("PTFF", (c, i) -> {
            int fc = (int) c.state().gpr[0] & 0x7f;
            if ((c.state().gpr[0] & 0x80) != 0) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            if (fc != 0) {
                c.setCc(3);
                return;
            }
            long a = c.wrap(c.state().gpr[1]);
            c.probe(a, 16, S390Interpreter.STORE);
            c.write(a, 8, 1L << 63);
            c.write(c.wrap(a + 8), 8, 0);
            c.setCc(0);
        });
    }

    // ---- The machine: SIGP, DIAGNOSE, SERVICE CALL ----------------------------------------------------------------

    private static void machine(S390Semantics.Registry r) {
        // SIGNAL PROCESSOR: order in bits 56-63 of the second-operand address, CPU address in bits 48-63 of R3,
        // parameter in the odd register of the R1 pair (R1 itself when odd).
        r.def("SIGP", (c, i) -> {
            int order = (int) operand(c, i) & 0xff;
            int address = (int) c.state().gpr[i.r3] & 0xffff;
            long parameter = c.state().gpr[i.r1 | 1];
            c.setCc(c.platform().signalProcessor(c, order, address, parameter, i.r1));
        });
        r.def("DIAG", (c, i) -> c.platform().diagnose(c, (int) operand(c, i) & 0xffff, i.r1, i.r3));
        // SERVICE CALL: the SCCB is a real address, doubleword aligned, below 2 GiB and outside the first 8 KiB
        // and the prefix area (specification), in storage (addressing).
        r.def("SERVC", (c, i) -> {
            long sccb = c.state().gpr[i.r2];
            long page = sccb & ~0x1fffL;
            if ((sccb & ~0x7ffffff8L) != 0 || page == 0 || page == c.state().prefix) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            if (c.absolute(sccb) + 8 > c.storageSize()) {
                throw c.fault().raise(ProgramInterruption.ADDRESSING);
            }
            c.setCc(c.platform().serviceCall(c, (int) c.state().gpr[i.r1], sccb));
        });
    }

    // ---- Address spaces -----------------------------------------------------------------------------------------

    private static void addressSpaces(S390Semantics.Registry r) {
        r.def("EPAR", (c, i) -> {
            datOn(c);
            extractionAuthority(c);
            c.state().gpr[i.r1] = low32(c.state().gpr[i.r1], c.state().cr[4] & 0xffff);
        });
        r.def("ESAR", (c, i) -> {
            datOn(c);
            extractionAuthority(c);
            c.state().gpr[i.r1] = low32(c.state().gpr[i.r1], c.state().cr[3] & 0xffff);
        });
        // INSERT ADDRESS SPACE CONTROL: PSW bits 16-17 into R1 bits 54-55; CC 0 primary, 1 secondary, 2 AR, 3 home.
        r.def("IAC", (c, i) -> {
            datOn(c);
            S390CpuState s = c.state();
            int asc = s.asc();
            s.gpr[i.r1] = (s.gpr[i.r1] & ~0xffffL) | ((long) asc << 8);
            c.setCc(switch (asc) {
                case S390CpuState.ASC_PRIMARY -> 0;
                case S390CpuState.ASC_SECONDARY -> 1;
                case S390CpuState.ASC_AR -> 2;
                default -> 3;
            });
        });
        r.def("SAC", ControlInstructions::setAddressSpaceControl);
        r.def("SACF", ControlInstructions::setAddressSpaceControl);
    }

    static void datOn(S390Interpreter c) {
        if ((c.state().pswMask & S390CpuState.PSW_DAT) == 0) {
            throw c.fault().raise(ProgramInterruption.SPECIAL_OPERATION);
        }
    }

    /**
     * SET ADDRESS SPACE CONTROL (FAST): bits 52-55 of the second-operand address, 0000 primary, 0001 secondary,
     * 0010 AR, 0011 home, become PSW bits 16-17 (00, 10, 01, 11).
     */
    static void setAddressSpaceControl(S390Interpreter c, org.hyperport.s390.decode.Insn i) {
        int code = (int) (operand(c, i) >>> 8) & 0xf;
        S390CpuState s = c.state();
        int asc = switch (code) {
            case 0 -> S390CpuState.ASC_PRIMARY;
            case 1 -> S390CpuState.ASC_SECONDARY;
            case 2 -> S390CpuState.ASC_AR;
            case 3 -> S390CpuState.ASC_HOME;
            default -> throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        };
        if (asc == S390CpuState.ASC_HOME && s.problemState()) {
            throw c.fault().raise(ProgramInterruption.PRIVILEGED_OPERATION);
        }
        datOn(c);
        if ((asc == S390CpuState.ASC_SECONDARY || asc == S390CpuState.ASC_AR)
                && (s.cr[0] & S390Interpreter.CR0_SECONDARY_SPACE) == 0) {
            throw c.fault().raise(ProgramInterruption.SPECIAL_OPERATION);
        }
        s.pswMask = (s.pswMask & ~S390CpuState.PSW_ASC) | ((long) asc << S390CpuState.PSW_ASC_SHIFT);
    }
}
