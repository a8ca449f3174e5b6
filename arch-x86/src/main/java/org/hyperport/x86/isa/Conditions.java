package org.hyperport.x86.isa;

/**
 * The 16 condition codes of Jcc, SETcc and CMOVcc (SDM Vol 1 Appendix B, Table B-1), indexed by the low nibble of
 * the opcode: O NO B AE E NE BE A S NS P NP L GE LE G.
 */
public final class Conditions {

    private Conditions() {
    }

    public static boolean test(int cc, long rflags) {
        boolean cf = (rflags & IntegerOps.CF) != 0;
        boolean zf = (rflags & IntegerOps.ZF) != 0;
        boolean sf = (rflags & IntegerOps.SF) != 0;
        boolean of = (rflags & IntegerOps.OF) != 0;
        boolean pf = (rflags & IntegerOps.PF) != 0;
        boolean r = switch ((cc >> 1) & 7) {
            case 0 -> of;
            case 1 -> cf;
            case 2 -> zf;
            case 3 -> cf || zf;
            case 4 -> sf;
            case 5 -> pf;
            case 6 -> sf != of;
            default -> zf || sf != of;
        };
        return (cc & 1) == 0 ? r : !r;
    }
}
