package org.hyperport.s390.isa;

import org.hyperport.s390.decode.Insn;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;

/**
 * STORE SYSTEM INFORMATION (PoP Ch. 10): the configuration is described as a level-3 guest (a virtual machine) on a
 * z196 (machine type 2817, as {@link ControlInstructions#cpuId} reports), whose control program identifies itself
 * as "KVM/Linux", as a KVM host does, so that Linux 6.1's {@code detect_machine_type} sees a KVM guest.
 *
 * <p>Function code (GR0 bits 32-35), selector 1 (GR0 bits 56-63) and selector 2 (GR1 bits 48-63). Stored: 1.1.1
 * (basic machine configuration), 1.2.1 and 2.2.1 (this CPU), 1.2.2 (CPUs of the machine), 2.2.2 (the logical
 * partition) and 3.2.2 (the virtual machines); function code 0 returns the current level (3). Any other
 * combination sets CC 3. Blocks are 4 KiB, offsets as in the PoP's SYSIB figures.
 */
final class SystemInformation {

    static final int LEVEL = 3;

    private SystemInformation() {
    }

    static void storeSystemInformation(S390Interpreter c, Insn i) {
        long[] g = c.state().gpr;
        int fc = (int) (g[0] >>> 28) & 0xf;
        int sel1 = (int) g[0] & 0xff;
        int sel2 = (int) g[1] & 0xffff;
        if ((g[0] & 0x0fffff00L) != 0 || (g[1] & 0xffff0000L) != 0) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        if (fc == 0) {
            g[0] = (g[0] & ~0xf0000000L) | ((long) LEVEL << 28);
            c.setCc(0);
            return;
        }
        long a = c.address(0, i.b2, i.d2);
        if (fc > LEVEL) {
            c.setCc(3);
            return;
        }
        ControlInstructions.aligned(c, a, 4096);
        if (!known(fc, sel1, sel2)) {
            c.setCc(3);
            return;
        }
        byte[] b = new byte[4096];
        int cpus = Math.max(1, c.platform().cpuCount());
        switch (fc * 100 + sel1 * 10 + sel2) {
            case 111 -> {
                ebcdic(b, 32, 16, "IBM");
                ebcdic(b, 48, 4, Integer.toHexString(ControlInstructions.MACHINE_TYPE));
                ebcdic(b, 64, 16, "701");
                ebcdic(b, 80, 16, String.format("%016X", ControlInstructions.CPU_SERIAL));
                ebcdic(b, 96, 4, "01");
                ebcdic(b, 100, 16, "M15");
                ebcdic(b, 116, 16, "701");
                ebcdic(b, 132, 16, "701");
            }
            case 121, 221 -> {
                ebcdic(b, 80, 16, String.format("%016X", ControlInstructions.CPU_SERIAL));
                ebcdic(b, 96, 4, "01");
                put16(b, 102, c.cpuAddress());
            }
            case 122 -> {
                put32(b, 32, 1000);
                put16(b, 36, cpus);
                put16(b, 38, cpus);
            }
            case 222 -> {
                put16(b, 32, 1);
                b[35] = (byte) 0x80;
                put16(b, 36, cpus);
                put16(b, 38, cpus);
                ebcdic(b, 44, 8, "HYPERPRT");
                put32(b, 52, 1000);
                put16(b, 74, cpus);
            }
            case 322 -> {
                b[31] = 1;
                put16(b, 36, cpus);
                put16(b, 38, cpus);
                ebcdic(b, 44, 8, "HYPERPRT");
                put32(b, 52, 1000);
                ebcdic(b, 56, 16, "KVM/Linux");
            }
            default -> throw new IllegalStateException();
        }
        c.probe(a, 4096, S390Interpreter.STORE);
        for (int k = 0; k < 4096; k += 8) {
            long v = 0;
            for (int j = 0; j < 8; j++) {
                v = (v << 8) | (b[k + j] & 0xff);
            }
            c.write(c.wrap(a + k), 8, v);
        }
        g[0] &= ~0xf0000000L;
        c.setCc(0);
    }

    static boolean known(int fc, int sel1, int sel2) {
        return switch (fc) {
            case 1 -> (sel1 == 1 && sel2 == 1) || (sel1 == 2 && (sel2 == 1 || sel2 == 2));
            case 2 -> sel1 == 2 && (sel2 == 1 || sel2 == 2);
            case 3 -> sel1 == 2 && sel2 == 2;
            default -> false;
        };
    }

    /** Writes {@code s} in EBCDIC, left-justified and padded with EBCDIC blanks to {@code len} bytes. */
    static void ebcdic(byte[] b, int off, int len, String s) {
        for (int k = 0; k < len; k++) {
            b[off + k] = (byte) (k < s.length() ? ebcdic(s.charAt(k)) : 0x40);
        }
    }

    static int ebcdic(char ch) {
        if (ch >= '0' && ch <= '9') {
            return 0xf0 + ch - '0';
        }
        if (ch >= 'A' && ch <= 'I') {
            return 0xc1 + ch - 'A';
        }
        if (ch >= 'J' && ch <= 'R') {
            return 0xd1 + ch - 'J';
        }
        if (ch >= 'S' && ch <= 'Z') {
            return 0xe2 + ch - 'S';
        }
        if (ch >= 'a' && ch <= 'i') {
            return 0x81 + ch - 'a';
        }
        if (ch >= 'j' && ch <= 'r') {
            return 0x91 + ch - 'j';
        }
        if (ch >= 's' && ch <= 'z') {
            return 0xa2 + ch - 's';
        }
        return ch == '/' ? 0x61 : 0x40;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void put32(byte[] b, int off, int v) {
        put16(b, off, v >>> 16);
        put16(b, off + 2, v);
    }
}
