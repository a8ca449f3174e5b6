package org.hyperport.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.hyperport.x86.decode.Instruction.Status;
import org.junit.jupiter.api.Test;

/**
 * A million random byte strings through the decoder: it must never throw, never read outside the 15 bytes at ip, and
 * every result must be one of the four documented outcomes with consistent fields. Also: decoding allocates nothing.
 */
class DecoderFuzzTest {

    private static final int ITERATIONS = 1_000_000;
    private static final long IP = 0x7fff_ffff_fff0L;
    private static final byte[] PREFIXES = {0x66, 0x67, (byte) 0xF0, (byte) 0xF2, (byte) 0xF3, 0x2E, 0x26, 0x64, 0x48,
        0x41};

    /** A reusable source over 16 random bytes, faulting from a chosen offset on, recording what was read. */
    static final class FuzzSource implements ByteSource {
        final byte[] bytes = new byte[16];
        int faultFrom;
        long lowest;
        long highest;

        void reset() {
            lowest = Long.MAX_VALUE;
            highest = Long.MIN_VALUE;
        }

        @Override
        public int fetch(long address) {
            lowest = Math.min(lowest, address);
            highest = Math.max(highest, address);
            int i = (int) (address - IP);
            return i >= faultFrom ? FAULT : bytes[i] & 0xff;
        }
    }

    static boolean consistent(Instruction insn, int result, FuzzSource src) {
        boolean inWindow = src.lowest == IP && src.highest < IP + X86Decoder.MAX_LENGTH;
        boolean outcome = switch (insn.status()) {
            case VALID -> result == insn.length() && result >= 1 && result <= X86Decoder.MAX_LENGTH
                    && insn.op() != null && insn.operandCount() <= 4;
            case INVALID_OPCODE -> result == X86Decoder.UD && insn.length() <= X86Decoder.MAX_LENGTH
                    && insn.op() == null;
            case TOO_LONG -> result == X86Decoder.TOO_LONG && insn.length() == X86Decoder.MAX_LENGTH;
            case FETCH_FAULT -> result == X86Decoder.FETCH_FAULT && insn.faultAddress() == IP + src.faultFrom
                    && insn.faultAddress() == src.highest;
        };
        return inWindow && outcome;
    }

    @Test
    void randomBytesNeverThrowAndAlwaysGiveAConsistentOutcome() {
        Random rnd = new Random(20240601);
        FuzzSource src = new FuzzSource();
        X86Decoder decoder = new X86Decoder();
        Instruction insn = new Instruction();
        Mode[] modes = Mode.values();
        int[] outcomes = new int[Status.values().length];
        int inconsistent = 0;
        String firstInconsistent = "";

        for (int i = 0; i < ITERATIONS; i++) {
            rnd.nextBytes(src.bytes);
            int prefixed = rnd.nextInt(8) == 0 ? rnd.nextInt(16) : 0;
            for (int j = 0; j < prefixed; j++) {
                src.bytes[j] = PREFIXES[rnd.nextInt(PREFIXES.length)];
            }
            src.faultFrom = rnd.nextInt(8) == 0 ? rnd.nextInt(16) : 16;
            src.reset();
            int result = decoder.decode(src, IP, modes[i & 3], insn);
            outcomes[insn.status().ordinal()]++;
            boolean ok = consistent(insn, result, src);
            inconsistent += ok ? 0 : 1;
            firstInconsistent = ok || !firstInconsistent.isEmpty() ? firstInconsistent
                    : java.util.HexFormat.of().formatHex(src.bytes) + " " + modes[i & 3] + " -> " + result + " "
                    + insn.status() + " len " + insn.length();
        }
        System.out.printf("fuzz: %d decodes: valid %d, #UD %d, too long %d, fetch fault %d%n", ITERATIONS,
                outcomes[0], outcomes[1], outcomes[2], outcomes[3]);

        assertEquals("", firstInconsistent);
        assertEquals(0, inconsistent);
    }

    @Test
    void decodingDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random rnd = new Random(7);
        FuzzSource src = new FuzzSource();
        src.faultFrom = 16;
        X86Decoder decoder = new X86Decoder();
        Instruction insn = new Instruction();
        Mode[] modes = Mode.values();
        byte[][] inputs = new byte[4096][16];
        for (byte[] b : inputs) {
            rnd.nextBytes(b);
        }
        for (int i = 0; i < 200_000; i++) {
            System.arraycopy(inputs[i & 4095], 0, src.bytes, 0, 16);
            decoder.decode(src, IP, modes[i & 3], insn);
        }
        long tid = Thread.currentThread().threadId();

        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 200_000; i++) {
            System.arraycopy(inputs[i & 4095], 0, src.bytes, 0, 16);
            decoder.decode(src, IP, modes[i & 3], insn);
        }
        long after = threads.getThreadAllocatedBytes(tid);

        assertEquals(0, after - before);
    }
}
