package org.hyperport.x86.decode;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * Not a test: a rough decode-throughput measurement over a mix of generated 64-bit instructions, for
 * {@code java -cp target/classes:target/test-classes org.hyperport.x86.decode.DecodeThroughput}. Numbers drift on
 * shared machines; compare runs side by side (STYLE.md §13).
 */
public final class DecodeThroughput {

    private DecodeThroughput() {
    }

    public static void main(String[] args) {
        InstructionGenerator gen = new InstructionGenerator(Mode.LONG64, 0);
        Random rnd = new Random(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 200_000; i++) {
            out.writeBytes(gen.next(rnd).bytes());
        }
        byte[] code = out.toByteArray();
        ByteSource src = ByteSource.of(code, 0);
        X86Decoder decoder = new X86Decoder();
        Instruction insn = new Instruction();
        for (int round = 0; round < 10; round++) {
            long start = System.nanoTime();
            long n = 0;
            for (int pos = 0; pos < code.length - X86Decoder.MAX_LENGTH; n++) {
                int len = decoder.decode(src, pos, Mode.LONG64, insn);
                pos += len > 0 ? len : 1;
            }
            long ns = System.nanoTime() - start;
            System.out.printf("round %d: %d instructions, %.1f ns each, %.1f M/s%n", round, n, (double) ns / n,
                    n * 1e3 / ns);
        }
    }
}
