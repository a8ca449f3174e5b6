package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.ControlInstructions.aligned;
import static org.hyperport.s390.isa.ControlInstructions.operand;

import org.hyperport.s390.decode.Insn;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;

/**
 * The I/O instructions of PoP Ch. 14, for a channel subsystem with no subchannels, the way Linux 6.1's CSS probe
 * meets it: every subchannel-addressing instruction answers CC 3 (not operational), so {@code for_each_subchannel}
 * stops at subchannel 0; STCRW finds no channel report (CC 1, zeros stored); TPI takes only what the machine posted
 * with {@link S390Interpreter#postIo}; CHSC answers every command with response code 0x0004 (command not
 * supported), so {@code chsc_determine_css_characteristics} and {@code chsc_enable_facility} fail softly.
 */
public final class IoInstructions implements S390Semantics.Group {

    /** CHSC response code for a command that is not provided. */
    public static final int CHSC_NOT_SUPPORTED = 0x0004;

    @Override
    public void register(S390Semantics.Registry r) {
        r.def("STSCH", (c, i) -> notOperational(c, i, 4));
        r.def("MSCH", (c, i) -> notOperational(c, i, 4));
        r.def("SSCH", (c, i) -> notOperational(c, i, 4));
        r.def("TSCH", (c, i) -> notOperational(c, i, 4));
        r.def("CSCH", (c, i) -> notOperational(c, i, 0));
        r.def("HSCH", (c, i) -> notOperational(c, i, 0));
        r.def("RSCH", (c, i) -> notOperational(c, i, 0));
        r.def("XSCH", (c, i) -> notOperational(c, i, 0));
        r.def("TPI", IoInstructions::testPendingInterruption);
        r.def("STCRW", (c, i) -> {
            long a = aligned(c, operand(c, i), 4);
            c.write(a, 4, 0);
            c.setCc(1);
        });
        r.def("STCPS", (c, i) -> {
            long a = aligned(c, operand(c, i), 32);
            c.probe(a, 32, S390Interpreter.STORE);
            for (int k = 0; k < 32; k += 8) {
                c.write(c.wrap(a + k), 8, 0);
            }
        });
        r.def("RCHP", (c, i) -> {
            if ((c.state().gpr[1] & 0xffffff00L) != 0) {
                throw c.fault().raise(ProgramInterruption.OPERAND);
            }
            c.setCc(3);
        });
        r.def("SAL", (c, i) -> {
            if ((c.state().gpr[1] & 0x80000000L) != 0) {
                throw c.fault().raise(ProgramInterruption.OPERAND);
            }
        });
        r.def("SCHM", (c, i) -> {
        });
        r.def("CHSC", IoInstructions::channelSubsystemCall);
    }

    /**
     * Checks the subchannel-identification word in GR1 bits 32-63 (CSSID, M bit 44, SSID 45-46, one bit 47,
     * subchannel number): a zero "one" bit, nonzero reserved bits 40-43, or a CSSID without M is an operand
     * exception.
     */
    static void subchannelId(S390Interpreter c) {
        long w = c.state().gpr[1] & 0xffffffffL;
        boolean m = (w & 0x80000) != 0;
        if ((w & 0x10000) == 0 || (w & 0xf00000) != 0 || (!m && (w >>> 24) != 0)) {
            throw c.fault().raise(ProgramInterruption.OPERAND);
        }
    }

    /** A subchannel instruction on a subchannel that does not exist: CC 3. */
    static void notOperational(S390Interpreter c, Insn i, int operandAlign) {
        subchannelId(c);
        if (operandAlign != 0) {
            aligned(c, operand(c, i), operandAlign);
        }
        c.setCc(3);
    }

    /**
     * TEST PENDING INTERRUPTION: CC 0 when no enabled I/O interruption is pending; else the interruption is
     * cleared, its code stored (at the operand: subsystem-ID and parameter words; with a zero operand address:
     * all three words at real 0xB8) and CC 1.
     */
    static void testPendingInterruption(S390Interpreter c, Insn i) {
        long a = operand(c, i);
        if (a != 0) {
            aligned(c, a, 4);
            c.probe(a, 8, S390Interpreter.STORE);
        }
        long[] e = c.testPendingIo();
        if (e == null) {
            c.setCc(0);
            return;
        }
        if (a == 0) {
            c.writeReal32(S390Interpreter.LC_IO_SUBSYS_ID, e[0]);
            c.writeReal32(S390Interpreter.LC_IO_PARAM, e[1]);
            c.writeReal32(S390Interpreter.LC_IO_ID, e[2]);
        } else {
            c.write(a, 4, e[0]);
            c.write(c.wrap(a + 4), 4, e[1]);
        }
        c.setCc(1);
    }

    /**
     * CHANNEL SUBSYSTEM CALL: the command-request block at the (4 KiB-aligned) address in R1 starts with its length
     * and command code; the response block follows it, here always "command not supported". A request length
     * below 16, above 4088 or not a multiple of 8 is an operand exception.
     */
    static void channelSubsystemCall(S390Interpreter c, Insn i) {
        long a = aligned(c, c.wrap(c.state().gpr[i.r1]), 4096);
        int len = (int) c.read(a, 2);
        if (len < 16 || len > 4088 || (len & 7) != 0) {
            throw c.fault().raise(ProgramInterruption.OPERAND);
        }
        long resp = c.wrap(a + len);
        c.probe(resp, 8, S390Interpreter.STORE);
        c.write(resp, 2, 8);
        c.write(c.wrap(resp + 2), 2, CHSC_NOT_SUPPORTED);
        c.write(c.wrap(resp + 4), 4, 0);
        c.setCc(0);
    }
}
