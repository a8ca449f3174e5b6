package org.hyperport.x86.decode;


/** Intel-syntax text of instructions and operands, for diagnostics and tests. Allocates; never on a hot path. */
final class Formatter {

    private static final String[] GPR64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10",
        "r11", "r12", "r13", "r14", "r15"};
    private static final String[] GPR8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};
    private static final String[] HIGH8 = {"ah", "ch", "dh", "bh"};
    private static final String[] SEG = {"es", "cs", "ss", "ds", "fs", "gs"};

    private Formatter() {
    }

    static String instruction(Instruction insn) {
        if (!insn.isValid()) {
            return switch (insn.status()) {
                case INVALID_OPCODE -> "(#UD)";
                case TOO_LONG -> "(#GP: longer than 15 bytes)";
                default -> "(fetch fault at 0x" + Long.toHexString(insn.faultAddress()) + ")";
            };
        }
        StringBuilder sb = new StringBuilder();
        if (insn.lock()) {
            sb.append("lock ");
        }
        if (insn.rep()) {
            sb.append("rep ");
        }
        if (insn.repne()) {
            sb.append("repne ");
        }
        sb.append(insn.op().name().toLowerCase());
        for (int i = 0; i < insn.operandCount(); i++) {
            sb.append(i == 0 ? " " : ", ");
            operand(sb, insn.operand(i));
        }
        return sb.toString();
    }

    static String gpr(int reg, int size) {
        return switch (size) {
            case 8 -> GPR64[reg];
            case 4 -> reg < 8 ? "e" + GPR64[reg].substring(1) : GPR64[reg] + "d";
            case 2 -> reg < 8 ? GPR64[reg].substring(1) : GPR64[reg] + "w";
            default -> reg < 8 ? GPR8[reg] : GPR64[reg] + "b";
        };
    }

    static void operand(StringBuilder sb, Operand o) {
        switch (o.kind()) {
            case REG -> sb.append(switch (o.regClass()) {
                case GPR -> gpr(o.reg(), o.size());
                case HIGH8 -> HIGH8[o.reg()];
                case SEG -> SEG[o.reg()];
                case CR -> "cr" + o.reg();
                case DR -> "dr" + o.reg();
                case X87 -> "st(" + o.reg() + ")";
                case MMX -> "mm" + o.reg();
                case XMM -> "xmm" + o.reg();
            });
            case MEM -> {
                sb.append(switch (o.size()) {
                    case 1 -> "byte ";
                    case 2 -> "word ";
                    case 4 -> "dword ";
                    case 6 -> "fword ";
                    case 8 -> "qword ";
                    case 10 -> "tword ";
                    case 16 -> "xmmword ";
                    default -> "";
                });
                sb.append(SEG[o.segment()]).append(":[");
                boolean first = true;
                if (o.base() == Operand.RIP) {
                    sb.append(o.addressSize() == 8 ? "rip" : "eip");
                    first = false;
                } else if (o.base() != Operand.NONE) {
                    sb.append(gpr(o.base(), o.addressSize()));
                    first = false;
                }
                if (o.index() != Operand.NONE) {
                    sb.append(first ? "" : "+").append(gpr(o.index(), o.addressSize()));
                    if (o.scale() != 1) {
                        sb.append('*').append(o.scale());
                    }
                    first = false;
                }
                long d = o.displacement();
                if (first) {
                    long mask = o.addressSize() >= 8 ? -1L : (1L << (8 * o.addressSize())) - 1;
                    sb.append("0x").append(Long.toHexString(d & mask));
                } else if (d != 0) {
                    sb.append(d < 0 ? "-0x" : "+0x").append(Long.toHexString(Math.abs(d)));
                }
                sb.append(']');
            }
            case IMM -> sb.append("0x").append(Long.toHexString(o.immediate()));
            case REL -> sb.append("0x").append(Long.toHexString(o.target()));
            case FAR -> sb.append("0x").append(Integer.toHexString(o.selector())).append(":0x")
                    .append(Long.toHexString(o.immediate()));
            default -> sb.append('?');
        }
    }
}
