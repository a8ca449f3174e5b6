package org.hyperport.x86.kvm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds a minimal Multiboot v1 ELF32 image around raw 32-bit code, for machine tests that need a guest doing one
 * precise thing. The code is loaded at {@link #LOAD} + 12 (after the Multiboot header) and entered in 32-bit
 * protected mode with paging off.
 */
final class TinyGuest {
    static final int LOAD = 0x100000;
    static final int CODE = LOAD + 12;

    private TinyGuest() {
    }

    static byte[] multiboot(int... code) {
        int segOff = 0x100;
        int segSize = 12 + code.length;
        ByteBuffer b = ByteBuffer.allocate(segOff + segSize).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        b.putShort((short) 2).putShort((short) 3).putInt(1).putInt(CODE).putInt(52).putInt(0).putInt(0);
        b.putShort((short) 52).putShort((short) 32).putShort((short) 1).putShort((short) 40).putShort((short) 0)
                .putShort((short) 0);
        b.putInt(1).putInt(segOff).putInt(LOAD).putInt(LOAD).putInt(segSize).putInt(segSize).putInt(7).putInt(4);
        b.position(segOff);
        int magic = 0x1BADB002;
        b.putInt(magic).putInt(0).putInt(-magic);
        for (int c : code) {
            b.put((byte) c);
        }
        return b.array();
    }
}
