package org.hyperport.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HexFormat;
import java.util.List;
import org.hyperport.x86.decode.Instruction.Status;
import org.hyperport.x86.decode.Operand.RegClass;
import org.junit.jupiter.api.Test;

/**
 * Hand-written vectors for the tricky corners of SDM Vol. 2 Chapter 2 and Appendix A. Each test decodes bytes and
 * compares the Intel-syntax text (which shows operation, registers, sizes, segment and address) or specific fields.
 */
class X86DecoderTest {

    static final long IP = 0x1000;
    static final X86Decoder DECODER = new X86Decoder();

    static Instruction decode(Mode mode, String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        Instruction insn = new Instruction();
        DECODER.decode(ByteSource.of(bytes, IP), IP, mode, insn);
        return insn;
    }

    static String text(Mode mode, String hex) {
        return decode(mode, hex).toString();
    }

    // --- REX and byte registers (§2.2.1.2, Table 3-1) ---

    @Test
    void byteRegisterFourIsAhWithoutRexAndSplWithAnyRex() {
        String withoutRex = text(Mode.LONG64, "88 e0");
        String withEmptyRex = text(Mode.LONG64, "40 88 e0");

        assertEquals("mov al, ah", withoutRex);
        assertEquals("mov al, spl", withEmptyRex);
    }

    @Test
    void highByteRegisterIsItsOwnClass() {
        Operand ah = decode(Mode.PROT32, "88 e0").operand(1);

        assertEquals(List.of(RegClass.HIGH8, 0, 1), List.of(ah.regClass(), ah.reg(), ah.size()));
    }

    @Test
    void rexWTakesPrecedenceOver66() {
        Instruction insn = decode(Mode.LONG64, "66 48 89 c8");

        assertEquals("mov rax, rcx", insn.toString());
        assertEquals(8, insn.operandSize());
    }

    @Test
    void rexFollowedByALegacyPrefixIsIgnored() {
        Instruction insn = decode(Mode.LONG64, "48 66 89 c8");

        assertEquals("mov ax, cx", insn.toString());
        assertEquals(0, insn.rex());
    }

    @Test
    void rexRXBExtendRegAndRmAndIndex() {
        String text = text(Mode.LONG64, "4f 8b 44 a5 08");

        assertEquals("mov r8, qword ds:[r13+r12*4+0x8]", text);
    }

    @Test
    void rex40To4FAreIncAndDecOutside64BitMode() {
        String inc32 = text(Mode.PROT32, "40");
        String rexNop64 = text(Mode.LONG64, "40 90");

        assertEquals("inc eax", inc32);
        assertEquals("nop", rexNop64);
    }

    // --- ModR/M and SIB (Tables 2-1 to 2-3, §2.2.1.6) ---

    @Test
    void ripRelativeAddsTheNextInstructionPointer() {
        Instruction insn = decode(Mode.LONG64, "8b 05 10 00 00 00");
        Operand m = insn.operand(1);

        assertEquals("mov eax, dword ds:[rip+0x10]", insn.toString());
        assertEquals(List.of(true, 0x10L, IP + 6), List.of(m.ripRelative(), m.displacement(), insn.nextIp()));
    }

    @Test
    void addressSizePrefixIn64BitModeGives32BitRegistersAndEipRelative() {
        String registers = text(Mode.LONG64, "67 8b 00");
        String eipRelative = text(Mode.LONG64, "67 8b 05 10 00 00 00");

        assertEquals("mov eax, dword ds:[eax]", registers);
        assertEquals("mov eax, dword ds:[eip+0x10]", eipRelative);
    }

    @Test
    void sibWithBase101AndMod00HasNoBaseEvenWithRexB() {
        String absolute = text(Mode.LONG64, "8b 04 25 78 56 34 12");
        String indexOnly = text(Mode.LONG64, "8b 04 8d 10 00 00 00");
        String rexBIgnored = text(Mode.LONG64, "41 8b 04 25 78 56 34 12");

        assertEquals("mov eax, dword ds:[0x12345678]", absolute);
        assertEquals("mov eax, dword ds:[rcx*4+0x10]", indexOnly);
        assertEquals("mov eax, dword ds:[0x12345678]", rexBIgnored);
    }

    @Test
    void rbpAndR13AsBaseNeedADisplacement() {
        String rbp = text(Mode.LONG64, "8b 45 00");
        String r13 = text(Mode.LONG64, "41 8b 45 08");
        String r12 = text(Mode.LONG64, "41 8b 04 24");

        assertEquals("mov eax, dword ss:[rbp]", rbp);
        assertEquals("mov eax, dword ds:[r13+0x8]", r13);
        assertEquals("mov eax, dword ds:[r12]", r12);
    }

    @Test
    void indexFieldOf100IsNoIndexUnlessRexX() {
        String noIndex = text(Mode.LONG64, "8b 04 20");
        String r12Index = text(Mode.LONG64, "42 8b 04 20");

        assertEquals("mov eax, dword ds:[rax]", noIndex);
        assertEquals("mov eax, dword ds:[rax+r12]", r12Index);
    }

    @Test
    void sixteenBitAddressingFormsAndBpDefaultsToSs() {
        String bxSi = text(Mode.REAL16, "8b 00");
        String bpDi = text(Mode.REAL16, "8b 43 fe");
        String direct = text(Mode.REAL16, "8b 06 34 12");
        String bp = text(Mode.REAL16, "8b 46 02");

        assertEquals("mov ax, word ds:[bx+si]", bxSi);
        assertEquals("mov ax, word ss:[bp+di-0x2]", bpDi);
        assertEquals("mov ax, word ds:[0x1234]", direct);
        assertEquals("mov ax, word ss:[bp+0x2]", bp);
    }

    @Test
    void stackBasesDefaultToSsAndOverridesApply() {
        String esp = text(Mode.PROT32, "8b 04 24");
        String ebp = text(Mode.PROT32, "8b 45 fc");
        String overridden = text(Mode.PROT32, "26 8b 45 fc");
        String fsIn64 = text(Mode.LONG64, "64 8b 00");
        String esIgnoredIn64 = text(Mode.LONG64, "26 8b 00");
        String ssIgnoredIn64 = text(Mode.LONG64, "36 8b 00");
        String dsIgnoredOnRbpIn64 = text(Mode.LONG64, "3e 8b 45 00");
        String fsOnRbpIn64 = text(Mode.LONG64, "64 8b 45 00");

        assertEquals("mov eax, dword ss:[esp]", esp);
        assertEquals("mov eax, dword ss:[ebp-0x4]", ebp);
        assertEquals("mov eax, dword es:[ebp-0x4]", overridden);
        assertEquals("mov eax, dword fs:[rax]", fsIn64);
        // 64-bit mode ignores ES/CS/SS/DS overrides (Vol. 1 §3.3.7.1): the default segment, which decides #SS
        // versus #GP for a non-canonical address, stays.
        assertEquals("mov eax, dword ds:[rax]", esIgnoredIn64);
        assertEquals("mov eax, dword ds:[rax]", ssIgnoredIn64);
        assertEquals("mov eax, dword ss:[rbp]", dsIgnoredOnRbpIn64);
        assertEquals("mov eax, dword fs:[rbp]", fsOnRbpIn64);
    }

    @Test
    void leaWithARegisterOperandIsInvalid() {
        Instruction insn = decode(Mode.LONG64, "8d c0");

        assertEquals(Status.INVALID_OPCODE, insn.status());
    }

    // --- moffs (A0-A3): an address-size offset, no ModR/M ---

    @Test
    void moffsIsAsWideAsTheAddressSize() {
        Instruction long64 = decode(Mode.LONG64, "a1 88 77 66 55 44 33 22 11");
        Instruction long64a32 = decode(Mode.LONG64, "67 a1 44 33 22 11");
        Instruction rexW = decode(Mode.LONG64, "48 a3 88 77 66 55 44 33 22 11");
        Instruction prot32 = decode(Mode.PROT32, "a0 44 33 22 11");
        Instruction real16 = decode(Mode.REAL16, "a2 34 12");

        assertEquals("mov eax, dword ds:[0x1122334455667788] (9)", long64 + " (" + long64.length() + ")");
        assertEquals("mov eax, dword ds:[0x11223344] (6)", long64a32 + " (" + long64a32.length() + ")");
        assertEquals("mov qword ds:[0x1122334455667788], rax (10)", rexW + " (" + rexW.length() + ")");
        assertEquals("mov al, byte ds:[0x11223344] (5)", prot32 + " (" + prot32.length() + ")");
        assertEquals("mov byte ds:[0x1234], al (3)", real16 + " (" + real16.length() + ")");
    }

    // --- Control, debug and segment registers ---

    @Test
    void movCrIgnoresModAndIs64BitIn64BitMode() {
        String mod00 = text(Mode.LONG64, "0f 20 00");
        String toCr3 = text(Mode.LONG64, "0f 22 d8");
        String cr8 = text(Mode.LONG64, "44 0f 20 c0");
        String prot32 = text(Mode.PROT32, "0f 20 c0");

        assertEquals("mov rax, cr0", mod00);
        assertEquals("mov cr3, rax", toCr3);
        assertEquals("mov rax, cr8", cr8);
        assertEquals("mov eax, cr0", prot32);
    }

    @Test
    void undefinedControlAndDebugRegistersAreInvalid() {
        Status cr1 = decode(Mode.LONG64, "0f 20 c8").status();
        Status cr5 = decode(Mode.PROT32, "0f 22 e8").status();
        Status dr8 = decode(Mode.LONG64, "44 0f 21 c0").status();
        Status lockCr0 = decode(Mode.PROT32, "f0 0f 20 c0").status();

        assertEquals(List.of(Status.INVALID_OPCODE, Status.INVALID_OPCODE, Status.INVALID_OPCODE,
                Status.INVALID_OPCODE), List.of(cr1, cr5, dr8, lockCr0));
    }

    @Test
    void segmentRegisterRules() {
        String load = text(Mode.PROT32, "8e d8");
        String storeToMemory = text(Mode.PROT32, "8c 08");
        String storeToRegister = text(Mode.LONG64, "48 8c c8");
        Status loadCs = decode(Mode.PROT32, "8e c8").status();
        Status sreg6 = decode(Mode.PROT32, "8e f0").status();

        assertEquals("mov ds, ax", load);
        assertEquals("mov word ds:[eax], cs", storeToMemory);
        assertEquals("mov rax, cs", storeToRegister);
        assertEquals(List.of(Status.INVALID_OPCODE, Status.INVALID_OPCODE), List.of(loadCs, sreg6));
    }

    // --- Group opcodes (Table A-6) ---

    @Test
    void groupOpcodesSelectByTheRegField() {
        String neg = text(Mode.PROT32, "f7 d9");
        String callIndirect = text(Mode.LONG64, "ff d0");
        String pushMem = text(Mode.LONG64, "ff 30");
        String bts = text(Mode.PROT32, "0f ba e8 05");
        Status ff7 = decode(Mode.PROT32, "ff f8").status();
        Status xop = decode(Mode.LONG64, "8f c8").status();

        assertEquals("neg ecx", neg);
        assertEquals("call rax", callIndirect);
        assertEquals("push qword ds:[rax]", pushMem);
        assertEquals("bts eax, 0x5", bts);
        assertEquals(List.of(Status.INVALID_OPCODE, Status.INVALID_OPCODE), List.of(ff7, xop));
    }

    @Test
    void group7RegisterFormsAreWholeModrmBytes() {
        String swapgs = text(Mode.LONG64, "0f 01 f8");
        String rdtscp = text(Mode.PROT32, "0f 01 f9");
        String xgetbv = text(Mode.LONG64, "0f 01 d0");
        String invlpg = text(Mode.LONG64, "0f 01 38");
        String lgdt64 = text(Mode.LONG64, "0f 01 10");
        String lgdt32 = text(Mode.PROT32, "0f 01 10");
        Status swapgs32 = decode(Mode.PROT32, "0f 01 f8").status();

        assertEquals("swapgs", swapgs);
        assertEquals("rdtscp", rdtscp);
        assertEquals("xgetbv", xgetbv);
        assertEquals("invlpg byte ds:[rax]", invlpg);
        assertEquals("lgdt tword ds:[rax]", lgdt64);
        assertEquals("lgdt fword ds:[eax]", lgdt32);
        assertEquals(Status.INVALID_OPCODE, swapgs32);
    }

    // --- x87 (Tables) ---

    @Test
    void x87RegisterAndMemoryForms() {
        String fld = text(Mode.LONG64, "d9 c1");
        String faddp = text(Mode.LONG64, "de c1");
        String fsubp = text(Mode.LONG64, "de e9");
        String fld1 = text(Mode.LONG64, "d9 e8");
        String fnstswAx = text(Mode.LONG64, "df e0");
        String fldTen = text(Mode.PROT32, "db 28");
        String fnstcw = text(Mode.PROT32, "d9 38");
        String fildQword = text(Mode.PROT32, "df 28");

        assertEquals("fld st(1)", fld);
        assertEquals("faddp st(1), st(0)", faddp);
        assertEquals("fsubp st(1), st(0)", fsubp);
        assertEquals("fld1", fld1);
        assertEquals("fnstsw ax", fnstswAx);
        assertEquals("fld tword ds:[eax]", fldTen);
        assertEquals("fnstcw word ds:[eax]", fnstcw);
        assertEquals("fild qword ds:[eax]", fildQword);
    }

    @Test
    void reservedX87EncodingsAreInvalid() {
        Status d9d8 = decode(Mode.LONG64, "d9 d8").status();
        Status d9mem1 = decode(Mode.LONG64, "d9 08").status();
        Status ddmem5 = decode(Mode.LONG64, "dd 28").status();

        assertEquals(List.of(Status.INVALID_OPCODE, Status.INVALID_OPCODE, Status.INVALID_OPCODE),
                List.of(d9d8, d9mem1, ddmem5));
    }

    // --- Mandatory prefixes (§2.1.1, "NP" in the reference) ---

    @Test
    void mandatoryPrefixSelectsTheSseInstruction() {
        String none = text(Mode.LONG64, "0f 10 c1");
        String p66 = text(Mode.LONG64, "66 0f 10 c1");
        String f3 = text(Mode.LONG64, "f3 0f 10 c1");
        String f2 = text(Mode.LONG64, "f2 0f 10 c1");

        assertEquals("movups xmm0, xmm1", none);
        assertEquals("movupd xmm0, xmm1", p66);
        assertEquals("movss xmm0, xmm1", f3);
        assertEquals("movsd xmm0, xmm1", f2);
    }

    @Test
    void lastOfF2AndF3WinsAndBeats66() {
        Instruction f3Over66 = decode(Mode.LONG64, "66 f3 0f 58 c1");
        String lastWins = text(Mode.LONG64, "f2 f3 0f 58 c1");

        assertEquals("addss xmm0, xmm1", f3Over66.toString());
        assertEquals(List.of(0xF3, false), List.of(f3Over66.mandatoryPrefix(), f3Over66.rep()));
        assertEquals("addss xmm0, xmm1", lastWins);
    }

    @Test
    void npFormsRejectPrefixesAndMmxAndSseShareOpcodes() {
        String mmx = text(Mode.LONG64, "0f 6f c1");
        String movdqa = text(Mode.LONG64, "66 0f 6f c1");
        String movdqu = text(Mode.LONG64, "f3 0f 6f c1");
        Status f2 = decode(Mode.LONG64, "f2 0f 6f c1").status();
        Status emms66 = decode(Mode.LONG64, "66 0f 77").status();

        assertEquals("movq mm0, mm1", mmx);
        assertEquals("movdqa xmm0, xmm1", movdqa);
        assertEquals("movdqu xmm0, xmm1", movdqu);
        assertEquals(List.of(Status.INVALID_OPCODE, Status.INVALID_OPCODE), List.of(f2, emms66));
    }

    @Test
    void mandatory66DoesNotSizeTheOperandsButRexWDoes() {
        Instruction movd = decode(Mode.LONG64, "66 0f 6e c0");
        Instruction movq = decode(Mode.LONG64, "66 48 0f 6e c0");

        assertEquals("movd xmm0, eax", movd.toString());
        assertEquals(4, movd.operandSize());
        assertEquals("movq xmm0, rax", movq.toString());
    }

    @Test
    void f3SelectsPopcntTzcntLzcntAnd66StillSizesThem() {
        String popcnt = text(Mode.LONG64, "f3 0f b8 c1");
        String popcnt16 = text(Mode.LONG64, "66 f3 0f b8 c1");
        String bsf = text(Mode.LONG64, "0f bc c1");
        String tzcnt = text(Mode.LONG64, "f3 48 0f bc c1");
        Status jmpe = decode(Mode.LONG64, "0f b8 c1").status();

        assertEquals("popcnt eax, ecx", popcnt);
        assertEquals("popcnt ax, cx", popcnt16);
        assertEquals("bsf eax, ecx", bsf);
        assertEquals("tzcnt rax, rcx", tzcnt);
        assertEquals(Status.INVALID_OPCODE, jmpe);
    }

    @Test
    void transparentFormsFallBackUnderAnyPrefix() {
        String imul16 = text(Mode.LONG64, "66 0f af c1");
        String hintNop = text(Mode.LONG64, "f3 0f 1e c8");
        String endbr64 = text(Mode.LONG64, "f3 0f 1e fa");

        assertEquals("imul ax, cx", imul16);
        assertEquals("rep nop eax", hintNop);
        assertEquals("endbr64", endbr64);
    }

    // --- Mode-dependent opcodes: i64, o64, d64, f64 (§A.2.5) ---

    @Test
    void i64FormsAreInvalidIn64BitMode() {
        String pushEs = text(Mode.PROT32, "06");
        String daa = text(Mode.PROT32, "27");
        Status pushEs64 = decode(Mode.LONG64, "06").status();
        Status daa64 = decode(Mode.LONG64, "27").status();
        Status far64 = decode(Mode.LONG64, "ea 00 00 00 00 08 00").status();

        assertEquals("push es", pushEs);
        assertEquals("daa", daa);
        assertEquals(List.of(Status.INVALID_OPCODE, Status.INVALID_OPCODE, Status.INVALID_OPCODE),
                List.of(pushEs64, daa64, far64));
    }

    @Test
    void o64FormsOnlyExistIn64BitMode() {
        String syscall = text(Mode.LONG64, "0f 05");
        String movsxd = text(Mode.LONG64, "48 63 c1");
        String arpl = text(Mode.PROT32, "63 c1");
        Status syscall32 = decode(Mode.PROT32, "0f 05").status();

        assertEquals("syscall", syscall);
        assertEquals("movsxd rax, ecx", movsxd);
        assertEquals("arpl cx, ax", arpl);
        assertEquals(Status.INVALID_OPCODE, syscall32);
    }

    @Test
    void d64DefaultsTo64BitAnd66Gives16() {
        Instruction push = decode(Mode.LONG64, "50");
        Instruction push16 = decode(Mode.LONG64, "66 50");
        Instruction pushR8 = decode(Mode.LONG64, "41 50");
        Instruction pushImm = decode(Mode.LONG64, "6a 80");

        assertEquals(List.of("push rax", 8), List.of(push.toString(), push.operandSize()));
        assertEquals(List.of("push ax", 2), List.of(push16.toString(), push16.operandSize()));
        assertEquals("push r8", pushR8.toString());
        assertEquals(List.of(-128L, 8), List.of(pushImm.operand(0).immediate(), pushImm.operand(0).size()));
    }

    @Test
    void f64BranchesIgnore66In64BitModeButNotIn32() {
        Instruction call64 = decode(Mode.LONG64, "66 e8 00 00 00 00");
        Instruction jmp32 = decode(Mode.PROT32, "66 e9 fd ff");

        assertEquals(List.of(6, 8, IP + 6), List.of(call64.length(), call64.operandSize(), call64.operand(0).target()));
        assertEquals(List.of(4, 2, (IP + 4 - 3) & 0xffff), List.of(jmp32.length(), jmp32.operandSize(),
                jmp32.operand(0).target()));
    }

    @Test
    void relativeTargetsAreTruncatedToTheOperandSize() {
        Instruction jmpSelf = decode(Mode.LONG64, "eb fe");
        Instruction realWrap = decode(Mode.REAL16, "e9 00 f0");

        assertEquals(IP, jmpSelf.operand(0).target());
        assertEquals(-2L, jmpSelf.operand(0).displacement());
        assertEquals((IP + 3 + 0xf000) & 0xffff, realWrap.operand(0).target());
    }

    @Test
    void operandSizeNamesTheMnemonic() {
        List<String> names = List.of(text(Mode.LONG64, "66 98"), text(Mode.LONG64, "98"), text(Mode.LONG64, "48 98"),
                text(Mode.LONG64, "cf"), text(Mode.LONG64, "48 cf"), text(Mode.PROT16, "9c"),
                text(Mode.LONG64, "9c"));
        List<String> byAddressSize = List.of(text(Mode.LONG64, "e3 00"), text(Mode.LONG64, "67 e3 00"),
                text(Mode.PROT16, "e3 00"));

        assertEquals(List.of("cbw", "cwde", "cdqe", "iretd", "iretq", "pushf", "pushfq"), names);
        assertEquals(List.of("jrcxz 0x1002", "jecxz 0x1003", "jcxz 0x1002"), byAddressSize);
    }

    @Test
    void protectedModeOnlyInstructionsAreInvalidInRealMode() {
        String prot16 = text(Mode.PROT16, "0f 00 d0");
        Status real16 = decode(Mode.REAL16, "0f 00 d0").status();
        Status larReal = decode(Mode.REAL16, "0f 02 c1").status();

        assertEquals("lldt ax", prot16);
        assertEquals(List.of(Status.INVALID_OPCODE, Status.INVALID_OPCODE), List.of(real16, larReal));
    }

    @Test
    void lesAndLdsOutside64BitModeButVexSpaceWithMod11() {
        String les = text(Mode.PROT32, "c4 00");
        Status vex32 = decode(Mode.PROT32, "c5 f8 77").status();
        Status vex64 = decode(Mode.LONG64, "c5 f8 77").status();
        Status bound = decode(Mode.PROT32, "62 c0").status();

        assertEquals("les eax, fword ds:[eax]", les);
        assertEquals(List.of(Status.INVALID_OPCODE, Status.INVALID_OPCODE, Status.INVALID_OPCODE),
                List.of(vex32, vex64, bound));
    }

    // --- Immediates ---

    @Test
    void immediatesAreSignExtendedToTheOperandSizeWhereTheSdmSaysSo() {
        Operand imm8s = decode(Mode.LONG64, "83 c0 ff").operand(1);
        Operand imm8s64 = decode(Mode.LONG64, "48 83 c0 ff").operand(1);
        Operand iz64 = decode(Mode.LONG64, "48 c7 c0 00 00 00 80").operand(1);
        Operand int80 = decode(Mode.LONG64, "cd 80").operand(0);
        Operand shift = decode(Mode.LONG64, "c1 e0 80").operand(1);
        Operand iv64 = decode(Mode.LONG64, "48 b8 88 77 66 55 44 33 22 11").operand(1);

        assertEquals(List.of(0xffffffffL, 4), List.of(imm8s.immediate(), imm8s.size()));
        assertEquals(List.of(-1L, 8), List.of(imm8s64.immediate(), imm8s64.size()));
        assertEquals(List.of(0xffffffff80000000L, 8), List.of(iz64.immediate(), iz64.size()));
        assertEquals(List.of(0x80L, 1), List.of(int80.immediate(), int80.size()));
        assertEquals(List.of(0x80L, 1), List.of(shift.immediate(), shift.size()));
        assertEquals(0x1122334455667788L, iv64.immediate());
    }

    @Test
    void enterHasTwoImmediatesAndFarJumpASelector() {
        Instruction enter = decode(Mode.PROT32, "c8 34 12 05");
        Instruction jmpf = decode(Mode.PROT32, "ea 78 56 34 12 08 00");

        assertEquals(List.of(0x1234L, 2, 5L, 1), List.of(enter.operand(0).immediate(), enter.operand(0).size(),
                enter.operand(1).immediate(), enter.operand(1).size()));
        assertEquals("jmpf 0x8:0x12345678", jmpf.toString());
    }

    // --- NOPs, PAUSE, XCHG ---

    @Test
    void nopForms() {
        String nop = text(Mode.LONG64, "90");
        String rexWNop = text(Mode.LONG64, "48 90");
        String xchgR8 = text(Mode.LONG64, "41 90");
        String pause = text(Mode.LONG64, "f3 90");
        Instruction longNop = decode(Mode.LONG64, "66 0f 1f 84 00 00 00 00 00");

        assertEquals("nop", nop);
        assertEquals("nop", rexWNop);
        assertEquals("xchg r8d, eax", xchgR8);
        assertEquals("pause", pause);
        assertEquals(List.of(Op.NOP, 9), List.of(longNop.op(), longNop.length()));
    }

    // --- String instructions ---

    @Test
    void stringInstructionsUseRsiAndRdiWithEsFixedForTheDestination() {
        Instruction rep = decode(Mode.LONG64, "f3 48 a5");
        String override = text(Mode.PROT32, "2e a4");
        String addr32 = text(Mode.LONG64, "67 aa");
        Instruction repne = decode(Mode.PROT32, "f2 ae");

        assertEquals("rep movs qword es:[rdi], qword ds:[rsi]", rep.toString());
        assertEquals(List.of(true, true), List.of(rep.operand(0).isImplicit(), rep.rep()));
        assertEquals("movs byte es:[edi], byte cs:[esi]", override);
        assertEquals("stos byte es:[edi], al", addr32);
        assertEquals("repne scas al, byte es:[edi]", repne.toString());
    }

    @Test
    void xlatUsesTheDataSegment() {
        int prot32 = decode(Mode.PROT32, "26 d7").dataSegment();
        int long64 = decode(Mode.LONG64, "26 d7").dataSegment();

        assertEquals(List.of(Operand.ES, Operand.DS), List.of(prot32, long64));
    }

    // --- LOCK (Vol. 2 "LOCK") ---

    @Test
    void lockIsAllowedOnlyOnLockableInstructionsWithAMemoryDestination() {
        String lockAdd = text(Mode.LONG64, "f0 01 00");
        String lockCmpxchg16b = text(Mode.LONG64, "f0 48 0f c7 0e");
        String lockBts = text(Mode.LONG64, "f0 0f ab 00");
        Status registerDestination = decode(Mode.LONG64, "f0 01 c0").status();
        Status notLockable = decode(Mode.LONG64, "f0 0f a3 00").status();
        Status lockNop = decode(Mode.LONG64, "f0 90").status();
        Status lockMov = decode(Mode.LONG64, "f0 89 00").status();

        assertEquals("lock add dword ds:[rax], eax", lockAdd);
        assertEquals("lock cmpxchg16b xmmword ds:[rsi]", lockCmpxchg16b);
        assertEquals("lock bts dword ds:[rax], eax", lockBts);
        assertEquals(List.of(Status.INVALID_OPCODE, Status.INVALID_OPCODE, Status.INVALID_OPCODE,
                Status.INVALID_OPCODE), List.of(registerDestination, notLockable, lockNop, lockMov));
    }

    // --- Misc instructions GCC and Linux emit ---

    @Test
    void systemAndExtensionInstructions() {
        List<String> texts = List.of(text(Mode.LONG64, "0f a2"), text(Mode.LONG64, "0f 31"),
                text(Mode.LONG64, "0f 30"), text(Mode.LONG64, "0f 01 ca"), text(Mode.LONG64, "f3 48 0f ae d8"),
                text(Mode.LONG64, "66 0f 38 82 08"), text(Mode.LONG64, "0f c7 f0"), text(Mode.LONG64, "0f ae e8"),
                text(Mode.LONG64, "0f ae 38"), text(Mode.LONG64, "48 0f ae 20"), text(Mode.LONG64, "0f 0b"),
                text(Mode.LONG64, "49 0f c8"), text(Mode.LONG64, "f2 48 0f 38 f1 c1"),
                text(Mode.LONG64, "66 0f 3a 44 c1 11"));

        assertEquals(List.of("cpuid", "rdtsc", "wrmsr", "clac", "wrgsbase rax", "invpcid rcx, xmmword ds:[rax]",
                "rdrand eax", "lfence", "clflush byte ds:[rax]", "xsave64 ds:[rax]", "ud2", "bswap r8",
                "crc32 rax, rcx", "pclmulqdq xmm0, xmm1, 0x11"), texts);
    }

    @Test
    void cmpxchg8bAnd16bAreChosenByRexWAndNeedMemory() {
        String eightB = text(Mode.LONG64, "0f c7 0e");
        String sixteenB = text(Mode.LONG64, "48 0f c7 0e");
        Status register = decode(Mode.LONG64, "0f c7 c8").status();

        assertEquals("cmpxchg8b qword ds:[rsi]", eightB);
        assertEquals("cmpxchg16b xmmword ds:[rsi]", sixteenB);
        assertEquals(Status.INVALID_OPCODE, register);
    }

    // --- Length limit and fetch faults (§2.3.11; Vol. 3A §6.9 priorities) ---

    @Test
    void fifteenBytesAreAllowed() {
        Instruction insn = decode(Mode.LONG64, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 90");

        assertEquals(List.of(Status.VALID, 15, Op.NOP), List.of(insn.status(), insn.length(), insn.op()));
    }

    @Test
    void aSixteenthByteIsNeverFetchedAndMakesTheInstructionTooLong() {
        long[] highest = {-1};
        byte[] bytes = HexFormat.of().parseHex("6666666666666666666666666666669090");
        ByteSource counting = address -> {
            highest[0] = Math.max(highest[0], address);
            return bytes[(int) (address - IP)] & 0xff;
        };
        Instruction insn = new Instruction();

        int result = DECODER.decode(counting, IP, Mode.LONG64, insn);

        assertEquals(List.of(X86Decoder.TOO_LONG, Status.TOO_LONG, IP + 14), List.of(result, insn.status(),
                highest[0]));
    }

    @Test
    void aLongInstructionWithTooManyPrefixesIsTooLong() {
        Instruction insn = decode(Mode.LONG64, "66 66 66 66 66 66 66 66 66 66 48 c7 c0 00 00 00 00");

        assertEquals(Status.TOO_LONG, insn.status());
    }

    @Test
    void fetchFaultReportsTheFirstUnreadableAddress() {
        byte[] bytes = HexFormat.of().parseHex("8b05");
        Instruction insn = new Instruction();

        int result = DECODER.decode(ByteSource.of(bytes, IP), IP, Mode.LONG64, insn);

        assertEquals(List.of(X86Decoder.FETCH_FAULT, Status.FETCH_FAULT, IP + 2), List.of(result, insn.status(),
                insn.faultAddress()));
        assertNull(insn.op());
    }

    @Test
    void anUndefinedOpcodeStopsBeforeBytesItDoesNotNeed() {
        byte[] bytes = HexFormat.of().parseHex("0f0b");
        byte[] undefined = HexFormat.of().parseHex("0f04");
        Instruction ud2 = new Instruction();
        Instruction ud = new Instruction();

        DECODER.decode(ByteSource.of(bytes, IP), IP, Mode.LONG64, ud2);
        int result = DECODER.decode(ByteSource.of(undefined, IP), IP, Mode.LONG64, ud);

        assertEquals(List.of(Status.VALID, Op.UD2, 2), List.of(ud2.status(), ud2.op(), ud2.length()));
        assertEquals(List.of(X86Decoder.UD, Status.INVALID_OPCODE, 2), List.of(result, ud.status(), ud.length()));
    }

    @Test
    void conditionCodesComeFromTheOpcode() {
        Instruction jne = decode(Mode.LONG64, "75 00");
        Instruction cmovg = decode(Mode.LONG64, "0f 4f c1");
        Instruction seta = decode(Mode.LONG64, "0f 97 c0");

        assertEquals(List.of(5, 15, 7), List.of(jne.condition(), cmovg.condition(), seta.condition()));
        assertEquals(-1, Op.ADD.condition());
    }

    @Test
    void copyFromDuplicatesEverything() {
        Instruction original = decode(Mode.LONG64, "f0 4c 01 84 88 44 33 22 11");
        Instruction copy = new Instruction();

        copy.copyFrom(original);

        assertEquals(original.toString(), copy.toString());
        assertEquals(List.of(original.length(), original.prefixes(), original.operand(0).displacement()),
                List.of(copy.length(), copy.prefixes(), copy.operand(0).displacement()));
    }
}
