package org.hyperport.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * decode(encode(x)) == x (STYLE.md §5): for every form of the opcode map that exists in a mode, many random operand
 * choices and prefixes are encoded by {@link X86Encoder} and decoded again; operation, sizes, length and every operand
 * must come back.
 */
class RoundTripTest {

    private static final long IP = 0x7ff0_0000L;
    private static final int SAMPLES_PER_FORM = 40;

    static String expected(InstructionGenerator.Sample s) {
        return s.hex() + " | " + s.op() + " os=" + s.operandSize() + " as=" + s.addressSize() + " len="
                + s.bytes().length + " " + s.operands();
    }

    static String decoded(InstructionGenerator.Sample s) {
        Instruction insn = new Instruction();
        new X86Decoder().decode(ByteSource.of(s.bytes(), IP), IP, s.mode(), insn);
        List<Opnd> ops = IntStream.range(0, insn.operandCount()).mapToObj(i -> Opnd.of(insn.operand(i))).toList();
        return s.hex() + " | " + insn.op() + " os=" + insn.operandSize() + " as=" + insn.addressSize() + " len="
                + insn.length() + " " + ops;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyFormRoundTripsWithRandomOperandsAndPrefixes(Mode mode) {
        InstructionGenerator gen = new InstructionGenerator(mode, IP);
        Random rnd = new Random(mode.ordinal() * 7919L + 1);
        List<InstructionGenerator.Sample> samples = gen.forms().stream()
                .flatMap(f -> IntStream.range(0, SAMPLES_PER_FORM).mapToObj(i -> gen.generate(f, rnd))).toList();

        List<String> mismatches = samples.stream().filter(s -> !expected(s).equals(decoded(s)))
                .limit(20).map(s -> s.form() + "\n  expected " + expected(s) + "\n  decoded  " + decoded(s)).toList();

        assertEquals(List.of(), mismatches);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyUsableFormIsGenerated(Mode mode) {
        InstructionGenerator gen = new InstructionGenerator(mode, IP);

        List<String> missing = OpcodeTable.FORMS.stream().filter(f -> expectedIn(f, mode))
                .filter(f -> !gen.forms().contains(f)).map(Form::toString).toList();

        assertEquals(List.of(), missing);
    }

    private static boolean expectedIn(Form f, Mode mode) {
        boolean long64 = mode == Mode.LONG64;
        return !(long64 ? f.has(Form.I64) : f.has(Form.O64) || f.rexW || f == OpcodeTable.XCHG_R8)
                && !(mode == Mode.REAL16 && f.has(Form.PM));
    }
}
