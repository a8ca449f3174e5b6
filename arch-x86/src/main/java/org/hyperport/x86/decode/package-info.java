/**
 * The x86 instruction decoder (SDM Vol. 2 Chapter 2 and Appendix A) for the x86-64 interpreter: real mode, 16- and
 * 32-bit protected mode, compatibility mode and 64-bit mode.
 *
 * <h2>Code map</h2>
 * <ul>
 * <li>{@code opcode-map.txt} (resource): every instruction form in the SDM's notation, e.g.
 *     {@code 0F AF /r IMUL Gv,Ev}, {@code 66 0F 6F /r MOVDQA Vx,Wx}, {@code D9 /5 FLDCW Mw}; its header documents the
 *     notation. This is the place to add an instruction.</li>
 * <li>{@code OpcodeTable}, {@code Form}, {@code Spec}: parse the table once into dense arrays per mode family, map,
 *     prefix column and opcode (and per ModR/M byte for groups and x87).</li>
 * <li>{@link org.hyperport.x86.decode.X86Decoder}: prefixes, opcode, ModR/M, SIB, displacement, immediates, and the
 *     size, mode and #UD rules; the contract the interpreter codes against is its class comment.</li>
 * <li>{@link org.hyperport.x86.decode.Instruction} and {@link org.hyperport.x86.decode.Operand}: the reusable
 *     flyweight result; {@link org.hyperport.x86.decode.Op}: operations by mnemonic;
 *     {@link org.hyperport.x86.decode.Mode}, {@link org.hyperport.x86.decode.ByteSource}: inputs.</li>
 * </ul>
 *
 * <h2>Use</h2>
 * <pre>{@code
 * X86Decoder decoder = new X86Decoder();          // stateless, shareable
 * Instruction insn = new Instruction();           // one per interpreter, reused
 * int len = decoder.decode(fetcher, rip, Mode.LONG64, insn);
 * if (len < 0) {
 *     switch (insn.status()) {                   // INVALID_OPCODE: #UD, TOO_LONG: #GP(0), FETCH_FAULT: #PF/#GP
 *         ...
 *     }
 * }
 * switch (insn.op()) {
 *     case ADD -> ...   // insn.operand(0), insn.operand(1), insn.operandSize(), insn.lock()
 * }
 * }</pre>
 *
 * <h2>Coverage</h2>
 * All general-purpose integer instructions, system instructions, x87, MMX, SSE to SSE4.2, AES-NI, PCLMULQDQ, SHA,
 * and the hint NOP space. Not decoded (#UD): VEX/EVEX/XOP encodings (AVX, BMI1/2, AMX), 3DNow!, VMX and SVM
 * instructions other than VMCALL/VMMCALL, SGX, SEV-SNP, CET shadow-stack instructions other than ENDBR32/64, MPX
 * (0F 1A/1B decode as hint NOPs, as on processors without MPX), TSX, and undocumented encodings other than SAL
 * (group 2 /6) and TEST (group 3 /1).
 */
package org.hyperport.x86.decode;
