package org.hyperport.x86.interp;

import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Operand;
import org.hyperport.x86.isa.BitOps;
import org.hyperport.x86.isa.Conditions;
import org.hyperport.x86.isa.IntegerOps;

/**
 * Bit and byte instructions (SDM Vol 1 §7.3 "Bit and Byte Instructions"; Vol 2 "BT", "BTS", "BTR", "BTC", "BSF",
 * "BSR", "POPCNT", "LZCNT", "TZCNT", "SETcc"). The flag semantics are {@link BitOps}'.
 */
final class BitByte {

    private BitByte() {
    }

    /**
     * BT/BTS/BTR/BTC {@code E, G/imm8}; {@code op} is {@link ReadModifyWrite#BTS}, {@code BTR}, {@code BTC} or -1
     * for BT. An immediate bit offset, and any offset into a register, is taken modulo the operand width. A register
     * offset into memory addresses a bit string (Vol 2 "BT", Figure 3-2): it is signed, and the operand read is the
     * one at {@code offset + (bit >> log2(width)) × size}, so it can lie far before or after the encoded address.
     */
    static boolean bitTest(X86Interpreter x, Instruction i, int op) {
        Operand d = i.operand(0);
        Operand s = i.operand(1);
        int size = d.size();
        long bit = x.read(s);
        if (!d.isMem() || !s.isReg()) {
            if (op < 0) {
                BitOps.bitTest(x.cpu, x.read(d), bit, size, 0);
            } else {
                ReadModifyWrite.modify(x, i, d, op, bit, 0);
            }
            return true;
        }
        long signedBit = ReadModifyWrite.signExtend(bit, size);
        int log2Bits = Integer.numberOfTrailingZeros(size * 8);
        long offset = ReadModifyWrite.truncate(x.offset(d) + (signedBit >> log2Bits) * size, d.addressSize());
        long la = x.linear(d.segment(), offset);
        if (op < 0) {
            BitOps.bitTest(x.cpu, x.load(la, size), bit, size, 0);
        } else {
            ReadModifyWrite.modifyAt(x, i, la, size, op, bit, 0);
        }
        return true;
    }

    /**
     * BSF BSR POPCNT LZCNT TZCNT {@code G, E}. BSF/BSR of 0 set ZF and leave the whole destination register alone
     * (Intel and AMD processors do not even zero-extend a 32-bit destination then).
     */
    static boolean scan(X86Interpreter x, Instruction i, int kind) {
        Operand d = i.operand(0);
        int size = d.size();
        long src = x.read(i.operand(1));
        if (kind <= 1 && (src & IntegerOps.mask(size)) == 0) {
            BitOps.bsf(x.cpu, 0, 0, size);
            return true;
        }
        long r = switch (kind) {
            case 0 -> BitOps.bsf(x.cpu, x.read(d), src, size);
            case 1 -> BitOps.bsr(x.cpu, x.read(d), src, size);
            case 2 -> BitOps.popcnt(x.cpu, src, size);
            case 3 -> BitOps.lzcnt(x.cpu, src, size);
            default -> BitOps.tzcnt(x.cpu, src, size);
        };
        x.write(d, r);
        return true;
    }

    /** SETcc {@code Eb}: 1 if the condition holds, else 0. */
    static boolean setcc(X86Interpreter x, Instruction i) {
        x.write(i.operand(0), Conditions.test(i.condition(), x.cpu.rflags) ? 1 : 0);
        return true;
    }
}
