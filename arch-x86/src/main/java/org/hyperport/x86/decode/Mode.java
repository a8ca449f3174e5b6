package org.hyperport.x86.decode;

/**
 * The processor mode an instruction is decoded in: it fixes the default operand and address sizes (SDM Vol. 1
 * §3.6, Vol. 2 §2.2.1.2) and whether REX exists and the i64/o64 opcode-map attributes apply (Vol. 2 §A.2.5).
 *
 * <p>Compatibility mode is {@link #PROT16} or {@link #PROT32} by CS.D; virtual-8086 mode decodes as {@link #REAL16}
 * (16-bit defaults, and the system instructions that are "not recognized in real-address mode" are #UD in both).
 */
public enum Mode {
    /** Real-address mode (CR0.PE=0) and virtual-8086 mode: 16-bit operands and addresses. */
    REAL16(2, 2),
    /** 16-bit protected mode, and compatibility mode with a 16-bit code segment (CS.D=0). */
    PROT16(2, 2),
    /** 32-bit protected mode, and compatibility mode with a 32-bit code segment (CS.D=1). */
    PROT32(4, 4),
    /** 64-bit mode (IA32_EFER.LMA=1, CS.L=1): REX prefixes, RIP-relative addressing, 64-bit addresses. */
    LONG64(4, 8);

    private final int operandSize;
    private final int addressSize;

    Mode(int operandSize, int addressSize) {
        this.operandSize = operandSize;
        this.addressSize = addressSize;
    }

    /** Default operand size in bytes, before prefixes (2 or 4; 64-bit mode defaults to 4). */
    public int defaultOperandSize() {
        return operandSize;
    }

    /** Default address size in bytes, before a 67 prefix (2, 4 or 8). */
    public int defaultAddressSize() {
        return addressSize;
    }

    /** Whether this is 64-bit mode. */
    public boolean is64() {
        return this == LONG64;
    }

    /**
     * The decode mode of a CPU state (SDM Vol. 3A §2.2, §5.2.1 on the L and D/B flags).
     *
     * @param pe   CR0.PE
     * @param vm   EFLAGS.VM
     * @param lma  IA32_EFER.LMA
     * @param csL  the code segment's L flag
     * @param csD  the code segment's D/B flag
     */
    public static Mode of(boolean pe, boolean vm, boolean lma, boolean csL, boolean csD) {
        if (!pe || vm) {
            return REAL16;
        }
        if (lma && csL) {
            return LONG64;
        }
        return csD ? PROT32 : PROT16;
    }
}
