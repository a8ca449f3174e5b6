package org.hyperport.x86.interp;

import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;
import static java.lang.constant.ConstantDescs.INIT_NAME;
import static java.lang.constant.ConstantDescs.MTD_void;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Op;
import org.hyperport.x86.decode.Operand;

/**
 * Translates a block of 64-bit-mode guest code into JVM bytecode, loaded as a hidden class, so that HotSpot compiles
 * guest code to host code. A block is a run of {@link FastPath} instructions, ending after the first jump, call
 * or return, before the first instruction the fast path does not cover, or at the end of the page; a conditional
 * branch inside it leaves the block when taken.
 * The translation has exactly the fast path's semantics ({@code BlockCompilerDifferentialTest} compares them):
 * <ul>
 *   <li>Guest registers live in JVM locals for the whole block and are written back at every exit.</li>
 *   <li>Status flags stay lazy, as in {@link LazyFlags}, but the record of the last flag-setting instruction is
 *       kept in locals, and a condition is evaluated straight from its operands. HotSpot drops the records no exit
 *       or condition reads, so most instructions cost no flag work at all.</li>
 *   <li>Faults are precise. Every instruction does its memory accesses before it changes a register or flag
 *       local, and each instruction that can fault has its own exception handler, which writes back the state as
 *       it was before that instruction, sets RIP to it and rethrows.</li>
 *   <li>A branch to an instruction of the same block is a jump inside the JVM method; one going backwards loops
 *       until the block's budget of instructions is spent. The status flags are in {@link LazyFlags} at every
 *       such join.</li>
 *   <li>After a store to a device, or to the block's own code, the block stops after that instruction, so the
 *       device exit is reported at once and modified code is translated afresh.</li>
 * </ul>
 */
final class BlockCompiler {

    /** Most instructions per block; a larger method would not fit HotSpot's limit for compiled methods. */
    static final int MAX_INSNS = 40;
    /** HotSpot does not compile methods with more bytecode than this (-XX:HugeMethodLimit). */
    private static final int HUGE_METHOD = 8000;

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final ClassDesc CD_BLOCK = desc(CompiledBlock.class);
    private static final ClassDesc CD_X = desc(X86Interpreter.class);
    private static final ClassDesc CD_CPU = desc(X86CpuState.class);
    private static final ClassDesc CD_SEG = desc(org.hyperport.x86.cpu.Segment.class);
    private static final ClassDesc CD_LF = desc(LazyFlags.class);
    private static final ClassDesc CD_MEM = desc(LinearMemory.class);
    private static final ClassDesc CD_LONGS = CD_long.arrayType();
    private static final ClassDesc CD_LONG_BOX = ClassDesc.of("java.lang.Long");
    private static final ClassDesc CD_RTE = ClassDesc.of("java.lang.RuntimeException");
    private static final MethodTypeDesc MTD_RUN = MethodTypeDesc.of(CD_int, CD_X, CD_int);
    private static final MethodTypeDesc MTD_READ = MethodTypeDesc.of(CD_long, CD_long, CD_boolean);
    private static final MethodTypeDesc MTD_WRITE = MethodTypeDesc.of(CD_boolean, CD_long, CD_long, CD_boolean);
    private static final MethodTypeDesc MTD_CMPU = MethodTypeDesc.of(CD_int, CD_long, CD_long);
    private static final MethodTypeDesc MTD_CANON = MethodTypeDesc.of(CD_long, CD_X, CD_long, CD_boolean);
    private static final MethodTypeDesc MTD_RECORD = MethodTypeDesc.of(CD_void, CD_int, CD_long, CD_long, CD_long,
            CD_int);
    private static final MethodTypeDesc MTD_RECORD_INCDEC = MethodTypeDesc.of(CD_void, CD_int, CD_long, CD_long,
            CD_int, CD_long);
    private static final MethodTypeDesc MTD_RECORD_CARRY = MethodTypeDesc.of(CD_void, CD_int, CD_long, CD_long,
            CD_long, CD_int, CD_long);
    private static final MethodTypeDesc MTD_ROTATE = MethodTypeDesc.of(CD_long, CD_LF, CD_CPU, CD_int, CD_long,
            CD_long, CD_int);
    private static final MethodTypeDesc MTD_TEST = MethodTypeDesc.of(CD_boolean, CD_int, CD_CPU);
    private static final MethodTypeDesc MTD_CARRY = MethodTypeDesc.of(CD_long, CD_CPU);
    private static final MethodTypeDesc MTD_SHIFT_CL = MethodTypeDesc.of(CD_long, CD_LF, CD_int, CD_long, CD_long,
            CD_int);
    private static final MethodTypeDesc MTD_STOPPED = MethodTypeDesc.of(CD_void, CD_X, CD_long, CD_int);
    private static final MethodTypeDesc MTD_PROBE = MethodTypeDesc.of(CD_void, CD_long, CD_int, CD_boolean);

    private BlockCompiler() {
    }

    /**
     * A translation that could not be built or that the JVM refused (either would be a bug here); the interpreter
     * runs that code instead.
     */
    static final class TranslationFailed extends RuntimeException {
        TranslationFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static ClassDesc desc(Class<?> c) {
        return ClassDesc.of(c.getName());
    }

    // ---- What a block may hold ----------------------------------------------------------------------------------

    private static boolean canonical(long a) {
        return (a << 16 >> 16) == a;
    }

    private static boolean plainMemory(Operand o) {
        return o.kind() != Operand.Kind.MEM || o.addressSize() != 2;
    }

    /** Whether {@code i} (valid, decoded in 64-bit mode) can be translated. */
    static boolean translatable(Instruction i) {
        int k = FastPath.kindOf(i);
        if (k == FastPath.GENERIC) {
            return false;
        }
        for (int n = 0; n < i.operandCount(); n++) {
            if (!plainMemory(i.operand(n))) {
                return false;
            }
        }
        return switch (k) {
            case FastPath.JCC, FastPath.JMP -> canonical(i.operand(0).target());
            case FastPath.CALL -> canonical(i.operand(0).target()) && (i.operandSize() == 8 || i.operandSize() == 2);
            case FastPath.PUSH, FastPath.POP, FastPath.RET -> i.operandSize() == 8 || i.operandSize() == 2;
            default -> true;
        };
    }

    /**
     * Whether a block ends after {@code i}: after an unconditional transfer. A conditional branch leaves the block
     * when taken and falls through to the rest of it otherwise.
     */
    static boolean endsBlock(Instruction i) {
        int k = FastPath.kindOf(i);
        return k == FastPath.JMP || k == FastPath.CALL || k == FastPath.RET;
    }

    // ---- Translation --------------------------------------------------------------------------------------------

    /**
     * Translates {@code insns} (consecutive, translatable, decoded in 64-bit mode, the first at {@code la}) for a
     * user-mode ({@code user}) or supervisor block. Returns null if the method would be too large to be compiled by
     * HotSpot; the caller then tries a shorter block.
     */
    static CompiledBlock compile(List<Instruction> insns, long la, boolean user) {
        long end = insns.getLast().nextIp();
        try {
            byte[] bytes = ClassFile.of().build(ClassDesc.of(BlockCompiler.class.getPackageName() + ".Block"),
                    clb -> {
                        clb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
                        clb.withSuperclass(CD_BLOCK);
                        clb.withMethodBody(INIT_NAME, MTD_void, ClassFile.ACC_PUBLIC,
                                cb -> cb.aload(0).invokespecial(CD_BLOCK, INIT_NAME, MTD_void).return_());
                        clb.withMethodBody("run", MTD_RUN, ClassFile.ACC_PUBLIC,
                                cb -> new Emitter(cb, insns, la, end, user).emitBlock());
                    });
            ClassModel model = ClassFile.of().parse(bytes);
            for (MethodModel m : model.methods()) {
                if (m.methodName().equalsString("run")
                        && m.findAttribute(Attributes.code()).orElseThrow().codeLength() > HUGE_METHOD) {
                    return null;
                }
            }
            MethodHandles.Lookup l = LOOKUP.defineHiddenClass(bytes, true);
            return (CompiledBlock) l.findConstructor(l.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (Throwable t) {
            throw new TranslationFailed("block translation at " + Long.toHexString(la) + " failed", t);
        }
    }

    /** Generates the {@code run} method of one block. */
    private static final class Emitter {
        private final CodeBuilder b;
        private final List<Instruction> insns;
        private final long start;
        private final long end;
        private final boolean user;

        private static final int X = 1, BUDGET = 2;
        private final int g, lf, mem, cpu, n;
        private final int fa, fb, fr, fc;
        private final int ta, tb, tr, tc, tla, dev, exc;
        private final int[] reg = new int[16];
        private final boolean[] written = new boolean[16];

        /** The last flag-setting operation whose record is in the locals, or {@link LazyFlags#NONE}. */
        private int fop = LazyFlags.NONE;
        private int fsize;

        /** Instruction index by address, and the label of each instruction. */
        private final java.util.Map<Long, Integer> index = new java.util.HashMap<>();
        private final Label[] labels;
        /** Instructions some branch of the block jumps to: joins, where the flags are always in {@link LazyFlags}. */
        private final boolean[] joins;

        Emitter(CodeBuilder b, List<Instruction> insns, long start, long end, boolean user) {
            this.b = b;
            this.insns = insns;
            this.start = start;
            this.end = end;
            this.user = user;
            g = b.allocateLocal(TypeKind.REFERENCE);
            lf = b.allocateLocal(TypeKind.REFERENCE);
            mem = b.allocateLocal(TypeKind.REFERENCE);
            cpu = b.allocateLocal(TypeKind.REFERENCE);
            n = b.allocateLocal(TypeKind.INT);
            fa = b.allocateLocal(TypeKind.LONG);
            fb = b.allocateLocal(TypeKind.LONG);
            fr = b.allocateLocal(TypeKind.LONG);
            fc = b.allocateLocal(TypeKind.LONG);
            ta = b.allocateLocal(TypeKind.LONG);
            tb = b.allocateLocal(TypeKind.LONG);
            tr = b.allocateLocal(TypeKind.LONG);
            tc = b.allocateLocal(TypeKind.LONG);
            tla = b.allocateLocal(TypeKind.LONG);
            dev = b.allocateLocal(TypeKind.INT);
            exc = b.allocateLocal(TypeKind.REFERENCE);
            java.util.Arrays.fill(reg, -1);
            for (Instruction i : insns) {
                scan(i);
            }
            labels = new Label[insns.size()];
            joins = new boolean[insns.size()];
            for (int k = 0; k < insns.size(); k++) {
                index.put(insns.get(k).ip(), k);
                labels[k] = b.newLabel();
            }
            for (Instruction i : insns) {
                int k = FastPath.kindOf(i);
                if (k == FastPath.JCC || k == FastPath.JMP) {
                    Integer t = index.get(i.operand(0).target());
                    if (t != null) {
                        joins[t] = true;
                    }
                }
            }
        }

        // ---- Register usage -------------------------------------------------------------------------------------

        private void use(int r) {
            if (r >= 0 && r < 16 && reg[r] < 0) {
                reg[r] = b.allocateLocal(TypeKind.LONG);
            }
        }

        private void scan(Instruction i) {
            int k = FastPath.kindOf(i);
            for (int o = 0; o < i.operandCount(); o++) {
                Operand op = i.operand(o);
                if (op.kind() == Operand.Kind.REG) {
                    use(op.reg());
                } else if (op.kind() == Operand.Kind.MEM) {
                    if (op.base() != Operand.RIP && op.base() != Operand.NONE) {
                        use(op.base());
                    }
                    if (op.index() != Operand.NONE) {
                        use(op.index());
                    }
                }
            }
            switch (k) {
                case FastPath.PUSH, FastPath.CALL, FastPath.RET -> {
                    use(X86CpuState.RSP);
                    written[X86CpuState.RSP] = true;
                }
                case FastPath.POP -> {
                    use(X86CpuState.RSP);
                    written[X86CpuState.RSP] = true;
                    written[i.operand(0).reg()] = true;
                }
                case FastPath.SHIFT_RCL, FastPath.ROTATE_RCL -> {
                    use(X86CpuState.RCX);
                    written[i.operand(0).reg()] = true;
                }
                case FastPath.MOV_MR, FastPath.MOV_MI, FastPath.ALU_MR, FastPath.ALU_MI, FastPath.JCC, FastPath.JMP,
                     FastPath.NOP -> {
                }
                default -> {
                    if (k != FastPath.ALU_RR && k != FastPath.ALU_RI && k != FastPath.ALU_RM || !compareOnly(i)) {
                        written[i.operand(0).reg()] = true;
                    }
                }
            }
        }

        private static boolean compareOnly(Instruction i) {
            return i.op() == Op.CMP || i.op() == Op.TEST;
        }

        // ---- Small emitters --------------------------------------------------------------------------------------

        private void lconst(long v) {
            b.loadConstant(v);
        }

        private static long mask(int size) {
            return size == 8 ? -1L : (1L << (size * 8)) - 1;
        }

        /** Truncates the long on the stack to {@code size} bytes. */
        private void truncate(int size) {
            if (size < 8) {
                lconst(mask(size));
                b.land();
            }
        }

        /** Sign-extends the long on the stack from {@code size} bytes. */
        private void signExtend(int size) {
            if (size < 8) {
                b.loadConstant(64 - size * 8);
                b.lshl();
                b.loadConstant(64 - size * 8);
                b.lshr();
            }
        }

        private void loadReg(int r) {
            b.lload(reg[r]);
        }

        private void loadReg(int r, int size) {
            loadReg(r);
            truncate(size);
        }

        /** Writes the long on the stack to GPR {@code r} by the SDM's rules (8/16-bit merge, 32-bit zero-extends). */
        private void storeReg(int r, int size) {
            switch (size) {
                case 8 -> b.lstore(reg[r]);
                case 4 -> {
                    truncate(4);
                    b.lstore(reg[r]);
                }
                default -> {
                    truncate(size);
                    b.lload(reg[r]);
                    lconst(~mask(size));
                    b.land();
                    b.lor();
                    b.lstore(reg[r]);
                }
            }
        }

        private void compareUnsigned() {
            b.invokestatic(CD_LONG_BOX, "compareUnsigned", MTD_CMPU);
        }

        /** Pushes 1 if {@code jumpIfTrue} jumps, else 0. */
        private void bool(java.util.function.Consumer<Label> jumpIfTrue) {
            Label t = b.newLabel();
            Label e = b.newLabel();
            jumpIfTrue.accept(t);
            b.iconst_0();
            b.goto_(e);
            b.labelBinding(t);
            b.iconst_1();
            b.labelBinding(e);
        }

        // ---- Memory operands -------------------------------------------------------------------------------------

        /** Pushes the effective address (offset) of {@code m}, truncated to its address size. */
        private void effectiveAddress(Operand m, Instruction i) {
            long disp = m.displacement();
            if (m.base() == Operand.RIP) {
                disp += i.nextIp();
            }
            lconst(disp);
            if (m.base() != Operand.RIP && m.base() != Operand.NONE) {
                loadReg(m.base());
                b.ladd();
            }
            if (m.index() != Operand.NONE) {
                loadReg(m.index());
                int sh = Integer.numberOfTrailingZeros(m.scale());
                if (sh > 0) {
                    b.loadConstant(sh);
                    b.lshl();
                }
                b.ladd();
            }
            truncate(m.addressSize());
        }

        /** Pushes the linear address of {@code m}: FS/GS bases apply, and it must be canonical. */
        private void linear(Operand m, Instruction i) {
            int sreg = m.segment();
            boolean fsgs = sreg == Operand.FS || sreg == Operand.GS;
            boolean check = fsgs || m.addressSize() == 8;
            if (check) {
                b.aload(X);
            }
            effectiveAddress(m, i);
            if (fsgs) {
                b.aload(cpu);
                b.getfield(CD_CPU, sreg == Operand.FS ? "fs" : "gs", CD_SEG);
                b.getfield(CD_SEG, "base", CD_long);
                b.ladd();
            }
            if (check) {
                b.loadConstant(sreg == Operand.SS ? 1 : 0);
                b.invokestatic(CD_BLOCK, "canonical", MTD_CANON);
            }
        }

        /** With a linear address on the stack, pushes the {@code size}-byte value there (zero-extended). */
        private void read(int size) {
            b.loadConstant(user ? 1 : 0);
            b.invokevirtual(CD_MEM, "read" + size, MTD_READ);
        }

        /** Reads memory operand {@code m} at {@code size}. */
        private void load(Operand m, Instruction i, int size) {
            b.aload(mem);
            linear(m, i);
            read(size);
        }

        /** Stores the long in {@code value} at the linear address in {@link #tla}; sets {@link #dev}. */
        private void store(int size, int value) {
            b.aload(mem);
            b.lload(tla);
            b.lload(value);
            b.loadConstant(user ? 1 : 0);
            b.invokevirtual(CD_MEM, "write" + size, MTD_WRITE);
            b.istore(dev);
        }

        // ---- Status flags ----------------------------------------------------------------------------------------

        /** Makes the locals' record the current flags: {@code a}, {@code b}, {@code r} come from temporaries. */
        private void setFlags(int op, int size, int a, int bb, int r) {
            b.lload(a);
            b.lstore(fa);
            b.lload(bb);
            b.lstore(fb);
            b.lload(r);
            b.lstore(fr);
            fop = op;
            fsize = size;
        }

        /** Writes the locals' record to the interpreter's {@link LazyFlags}. */
        private void flush() {
            flushRecord(fop, fsize);
            fop = LazyFlags.NONE;
        }

        private void flushRecord(int op, int size) {
            if (op == LazyFlags.NONE) {
                return;
            }
            b.aload(lf);
            b.loadConstant(op);
            b.lload(fa);
            if (op == LazyFlags.ADC || op == LazyFlags.SBB) {
                b.lload(fb);
                b.lload(fr);
                b.loadConstant(size);
                b.lload(fc);
                b.invokevirtual(CD_LF, "recordCarry", MTD_RECORD_CARRY);
            } else if (op == LazyFlags.INC || op == LazyFlags.DEC) {
                b.lload(fr);
                b.loadConstant(size);
                b.lload(fc);
                b.invokevirtual(CD_LF, "recordIncDec", MTD_RECORD_INCDEC);
            } else {
                b.lload(fb);
                b.lload(fr);
                b.loadConstant(size);
                b.invokevirtual(CD_LF, "record", MTD_RECORD);
            }
        }

        /** Pushes (as an int 0/1) condition {@code cc} (tttn) of the current flags. */
        private void condition(int cc) {
            int bits = fsize * 8;
            int sh = 64 - bits;
            boolean inline = switch (fop) {
                case LazyFlags.NONE -> false;
                case LazyFlags.SUB -> (cc >> 1) != 0 && (cc >> 1) != 5;
                case LazyFlags.LOGIC -> (cc >> 1) != 5;
                case LazyFlags.ADD -> (cc >> 1) == 1 || (cc >> 1) == 2 || (cc >> 1) == 4;
                default -> (cc >> 1) == 2 || (cc >> 1) == 4;
            };
            if (!inline) {
                flush();
                b.aload(lf);
                b.loadConstant(cc);
                b.aload(cpu);
                b.invokevirtual(CD_LF, "test", MTD_TEST);
                return;
            }
            int t = cc >> 1;
            if (fop == LazyFlags.LOGIC && t <= 1) {
                b.iconst_0();
            } else if (t == 2 || (fop == LazyFlags.LOGIC && t == 3)) {
                bool(l -> {
                    b.lload(fr);
                    lconst(0);
                    b.lcmp();
                    b.ifeq(l);
                });
            } else if (t == 4 || (fop == LazyFlags.LOGIC && t == 6)) {
                resultSign(sh, CodeBuilder::iflt); // SF
            } else if (fop == LazyFlags.LOGIC) {
                resultSign(sh, CodeBuilder::ifle); // LE: ZF or SF
            } else if (fop == LazyFlags.ADD) { // B: the sum wrapped
                bool(l -> {
                    b.lload(fr);
                    b.lload(fa);
                    compareUnsigned();
                    b.iflt(l);
                });
            } else if (t == 1 || t == 3) { // SUB: B, BE
                bool(l -> {
                    b.lload(fa);
                    b.lload(fb);
                    compareUnsigned();
                    if (t == 1) {
                        b.iflt(l);
                    } else {
                        b.ifle(l);
                    }
                });
            } else { // SUB: L, LE
                bool(l -> {
                    b.lload(fa);
                    b.loadConstant(sh);
                    b.lshl();
                    b.lload(fb);
                    b.loadConstant(sh);
                    b.lshl();
                    b.lcmp();
                    if (t == 6) {
                        b.iflt(l);
                    } else {
                        b.ifle(l);
                    }
                });
            }
            if ((cc & 1) != 0) {
                b.iconst_1();
                b.ixor();
            }
        }

        /**
         * Pushes 1 if the recorded result, shifted left by {@code sh} so that its sign bit is bit 63, compares with 0
         * as {@code branch} tests.
         */
        private void resultSign(int sh, java.util.function.BiConsumer<CodeBuilder, Label> branch) {
            bool(l -> {
                b.lload(fr);
                b.loadConstant(sh);
                b.lshl();
                lconst(0);
                b.lcmp();
                branch.accept(b, l);
            });
        }

        /** Pushes CF (long 0/1) of the current flags, for INC/DEC, which keep it. */
        private void carry() {
            switch (fop) {
                case LazyFlags.SUB, LazyFlags.ADD -> {
                    bool(l -> {
                        b.lload(fop == LazyFlags.SUB ? fa : fr);
                        b.lload(fop == LazyFlags.SUB ? fb : fa);
                        compareUnsigned();
                        b.iflt(l);
                    });
                    b.i2l();
                }
                case LazyFlags.LOGIC -> lconst(0);
                case LazyFlags.INC, LazyFlags.DEC -> b.lload(fc);
                default -> {
                    flush();
                    b.aload(lf);
                    b.aload(cpu);
                    b.invokevirtual(CD_LF, "carry", MTD_CARRY);
                }
            }
        }

        // ---- Exits -----------------------------------------------------------------------------------------------

        private void writeBack() {
            for (int r = 0; r < 16; r++) {
                if (written[r]) {
                    b.aload(g);
                    b.loadConstant(r);
                    b.lload(reg[r]);
                    b.lastore();
                }
            }
        }

        /** Leaves the block: registers and flags written back, RIP set from the long {@code rip} pushes. */
        private void exit(Runnable rip, int retired) {
            int savedOp = fop;
            writeBack();
            flush();
            fop = savedOp;
            b.aload(cpu);
            rip.run();
            b.putfield(CD_CPU, "rip", CD_long);
            b.iload(n);
            if (retired != 0) {
                b.loadConstant(retired);
                b.iadd();
            }
            b.ireturn();
        }

        private void exitTo(long rip, int retired) {
            exit(() -> lconst(rip), retired);
        }

        /**
         * A branch of instruction {@code k} to instruction {@code t} of the same block. Retired instructions are
         * counted as {@code n + t} at instruction {@code t}, so the edge adds {@code k + 1 - t} to {@link #n}. A
         * backward edge loops while the budget lasts and leaves otherwise; the status flags go to
         * {@link LazyFlags} first, as at every join.
         */
        private void internalJump(int k, int t) {
            int savedOp = fop;
            flush();
            if (k + 1 - t != 0) {
                b.iinc(n, k + 1 - t);
            }
            if (t <= k) {
                b.iload(n);
                b.iload(BUDGET);
                b.if_icmplt(labels[t]);
                exitTo(insns.get(t).ip(), t);
            } else {
                b.goto_(labels[t]);
            }
            fop = savedOp;
        }

        /** After a store: leave if it went to a device or into this block's code. */
        private void afterStore(int k, long next, int size) {
            Label go = b.newLabel();
            Label stop = b.newLabel();
            b.iload(dev);
            b.ifne(stop);
            b.lload(tla);
            lconst(start - size + 1);
            b.lsub();
            lconst(end - start + size - 1);
            compareUnsigned();
            b.ifge(go);
            b.labelBinding(stop);
            exitTo(next, k + 1);
            b.labelBinding(go);
        }

        // ---- The block -------------------------------------------------------------------------------------------

        void emitBlock() {
            b.aload(X);
            b.getfield(CD_X, "cpu", CD_CPU);
            b.astore(cpu);
            b.aload(cpu);
            b.getfield(CD_CPU, "gpr", CD_LONGS);
            b.astore(g);
            b.aload(X);
            b.getfield(CD_X, "lazy", CD_LF);
            b.astore(lf);
            b.aload(X);
            b.getfield(CD_X, "mem", CD_MEM);
            b.astore(mem);
            b.iconst_0();
            b.istore(n);
            b.iconst_0();
            b.istore(dev);
            for (int l : new int[] {fa, fb, fr, fc, ta, tb, tr, tc, tla}) {
                lconst(0);
                b.lstore(l);
            }
            for (int r = 0; r < 16; r++) {
                if (reg[r] >= 0) {
                    b.aload(g);
                    b.loadConstant(r);
                    b.laload();
                    b.lstore(reg[r]);
                }
            }
            int count = insns.size();
            Label[] from = new Label[count];
            Label[] to = new Label[count];
            int[] opBefore = new int[count];
            int[] sizeBefore = new int[count];
            for (int k = 0; k < count; k++) {
                from[k] = b.newLabel();
                to[k] = b.newLabel();
                if (joins[k]) {
                    flush(); // on the fall-through edge; branches flush before they jump
                }
                b.labelBinding(labels[k]);
                opBefore[k] = fop;
                sizeBefore[k] = fsize;
                b.labelBinding(from[k]);
                emit(k, insns.get(k));
                b.labelBinding(to[k]);
            }
            Instruction last = insns.getLast();
            if (!endsBlock(last)) {
                exitTo(last.nextIp(), count);
            }
            for (int k = 0; k < count; k++) {
                if (!mayFault(insns.get(k))) {
                    continue;
                }
                Label h = b.newLabel();
                b.exceptionCatch(from[k], to[k], h, CD_RTE);
                b.labelBinding(h);
                b.astore(exc);
                writeBack();
                flushRecord(opBefore[k], sizeBefore[k]);
                b.aload(X);
                lconst(insns.get(k).ip());
                b.iload(n);
                b.loadConstant(k);
                b.iadd();
                b.invokestatic(CD_BLOCK, "stopped", MTD_STOPPED);
                b.aload(exc);
                b.athrow();
            }
        }

        private static boolean mayFault(Instruction i) {
            return switch (FastPath.kindOf(i)) {
                case FastPath.MOV_RM, FastPath.MOV_MR, FastPath.MOV_MI, FastPath.ALU_RM, FastPath.ALU_MR,
                     FastPath.ALU_MI, FastPath.MOVZX_RM, FastPath.MOVSX_RM, FastPath.IMUL_RM, FastPath.IMUL_RMI,
                     FastPath.CMOV_RM, FastPath.PUSH, FastPath.POP, FastPath.CALL, FastPath.RET -> true;
                default -> false;
            };
        }

        /** Computes {@code r = a OP b} for an {@code ALU_*} operation from temporaries into {@link #tr}. */
        private void aluResult(Op op, int size) {
            b.lload(ta);
            b.lload(tb);
            switch (op) {
                case ADD -> b.ladd();
                case SUB, CMP -> b.lsub();
                case ADC -> {
                    b.ladd();
                    b.lload(tc);
                    b.ladd();
                }
                case SBB -> {
                    b.lsub();
                    b.lload(tc);
                    b.lsub();
                }
                case OR -> b.lor();
                case AND, TEST -> b.land();
                default -> b.lxor();
            }
            truncate(size);
            b.lstore(tr);
        }

        /** ADC/SBB: the carry (borrow) they add, into {@link #tc}; the record in the locals stays as it was. */
        private void carryIn(Op op) {
            if (op == Op.ADC || op == Op.SBB) {
                carry();
                b.lstore(tc);
            }
        }

        /** The flags of an {@code ALU_*} instruction, from the temporaries. */
        private void setAluFlags(Op op, int size) {
            if (op == Op.ADC || op == Op.SBB) {
                b.lload(tc);
                b.lstore(fc);
            }
            setFlags(flagOp(op), size, ta, tb, tr);
        }

        private static int flagOp(Op op) {
            return switch (op) {
                case ADD -> LazyFlags.ADD;
                case ADC -> LazyFlags.ADC;
                case SBB -> LazyFlags.SBB;
                case SUB, CMP -> LazyFlags.SUB;
                default -> LazyFlags.LOGIC;
            };
        }

        private void emit(int k, Instruction i) {
            int kind = FastPath.kindOf(i);
            Operand o0 = i.operandCount() > 0 ? i.operand(0) : null;
            Operand o1 = i.operandCount() > 1 ? i.operand(1) : null;
            int sz = o0 != null ? o0.size() : i.operandSize();
            int d = o0 != null && o0.kind() == Operand.Kind.REG ? o0.reg() : -1;
            int s = o1 != null && o1.kind() == Operand.Kind.REG ? o1.reg() : -1;
            long next = i.nextIp();
            switch (kind) {
                case FastPath.MOV_RR -> {
                    loadReg(s);
                    storeReg(d, sz);
                }
                case FastPath.MOV_RI -> {
                    lconst(o1.immediate());
                    storeReg(d, sz);
                }
                case FastPath.MOV_RM -> {
                    load(o1, i, sz);
                    storeReg(d, sz);
                }
                case FastPath.MOV_MR, FastPath.MOV_MI -> {
                    linear(o0, i);
                    b.lstore(tla);
                    if (kind == FastPath.MOV_MR) {
                        loadReg(s);
                    } else {
                        lconst(o1.immediate());
                    }
                    b.lstore(tb);
                    store(sz, tb);
                    afterStore(k, next, sz);
                }
                case FastPath.ALU_RR, FastPath.ALU_RI, FastPath.ALU_RM -> {
                    if (kind == FastPath.ALU_RR) {
                        loadReg(s, sz);
                    } else if (kind == FastPath.ALU_RI) {
                        lconst(o1.immediate() & mask(sz));
                    } else {
                        load(o1, i, sz);
                    }
                    b.lstore(tb);
                    loadReg(d, sz);
                    b.lstore(ta);
                    carryIn(i.op());
                    aluResult(i.op(), sz);
                    if (!compareOnly(i)) {
                        b.lload(tr);
                        storeReg(d, sz);
                    }
                    setAluFlags(i.op(), sz);
                }
                case FastPath.ALU_MR, FastPath.ALU_MI -> {
                    linear(o0, i);
                    b.lstore(tla);
                    if (kind == FastPath.ALU_MR) {
                        loadReg(s, sz);
                    } else {
                        lconst(o1.immediate() & mask(sz));
                    }
                    b.lstore(tb);
                    if (!compareOnly(i)) {
                        b.aload(mem);
                        b.lload(tla);
                        b.loadConstant(sz);
                        b.loadConstant(user ? 1 : 0);
                        b.invokevirtual(CD_MEM, "probeWrite", MTD_PROBE);
                    }
                    b.aload(mem);
                    b.lload(tla);
                    read(sz);
                    b.lstore(ta);
                    carryIn(i.op());
                    aluResult(i.op(), sz);
                    if (!compareOnly(i)) {
                        store(sz, tr);
                    }
                    setAluFlags(i.op(), sz);
                    if (!compareOnly(i)) {
                        afterStore(k, next, sz);
                    }
                }
                case FastPath.INC, FastPath.DEC -> {
                    carry();
                    b.lstore(tb);
                    loadReg(d, sz);
                    b.dup2();
                    b.lstore(ta);
                    lconst(kind == FastPath.INC ? 1 : -1);
                    b.ladd();
                    truncate(sz);
                    b.dup2();
                    b.lstore(tr);
                    storeReg(d, sz);
                    b.lload(tb);
                    b.lstore(fc);
                    lconst(1);
                    b.lstore(tb);
                    setFlags(kind == FastPath.INC ? LazyFlags.INC : LazyFlags.DEC, sz, ta, tb, tr);
                }
                case FastPath.NOT -> {
                    loadReg(d);
                    lconst(-1);
                    b.lxor();
                    storeReg(d, sz);
                }
                case FastPath.NEG -> {
                    loadReg(d, sz);
                    b.dup2();
                    b.lstore(tb);
                    b.lneg();
                    truncate(sz);
                    b.dup2();
                    b.lstore(tr);
                    storeReg(d, sz);
                    lconst(0);
                    b.lstore(ta);
                    setFlags(LazyFlags.SUB, sz, ta, tb, tr);
                }
                case FastPath.SHIFT_RI -> {
                    int c = (int) (o1.immediate() & (sz == 8 ? 0x3f : 0x1f));
                    loadReg(d, sz);
                    if (c == 0) {
                        storeReg(d, sz);
                        return;
                    }
                    b.dup2();
                    b.lstore(ta);
                    int op = shiftOp(i.op());
                    if (op == LazyFlags.SHL) {
                        b.loadConstant(c);
                        b.lshl();
                        truncate(sz);
                    } else if (op == LazyFlags.SHR) {
                        b.loadConstant(c);
                        b.lushr();
                    } else {
                        signExtend(sz);
                        b.loadConstant(c);
                        b.lshr();
                        truncate(sz);
                    }
                    b.dup2();
                    b.lstore(tr);
                    storeReg(d, sz);
                    lconst(c);
                    b.lstore(tb);
                    setFlags(op, sz, ta, tb, tr);
                }
                case FastPath.ROTATE_RI, FastPath.ROTATE_RCL -> {
                    flush();
                    b.aload(lf);
                    b.aload(cpu);
                    b.loadConstant(i.op() == Op.ROR ? 1 : 0);
                    loadReg(d, sz);
                    if (kind == FastPath.ROTATE_RI) {
                        lconst(o1.immediate());
                    } else {
                        loadReg(X86CpuState.RCX, 1);
                    }
                    b.loadConstant(sz);
                    b.invokestatic(CD_BLOCK, "rotate", MTD_ROTATE);
                    storeReg(d, sz);
                }
                case FastPath.SHIFT_RCL -> {
                    flush();
                    b.aload(lf);
                    b.loadConstant(shiftOp(i.op()));
                    loadReg(d, sz);
                    loadReg(X86CpuState.RCX);
                    b.loadConstant(sz);
                    b.invokestatic(CD_BLOCK, "shiftByCl", MTD_SHIFT_CL);
                    storeReg(d, sz);
                }
                case FastPath.JCC -> {
                    Label notTaken = b.newLabel();
                    condition(i.op().condition());
                    b.ifeq(notTaken);
                    jump(o0.target(), k);
                    b.labelBinding(notTaken);
                }
                case FastPath.JMP -> jump(o0.target(), k);
                case FastPath.CALL -> {
                    int os = i.operandSize();
                    push(os, () -> lconst(next & mask(os)));
                    afterStore(k, o0.target(), os);
                    exitTo(o0.target(), k + 1);
                }
                case FastPath.RET -> {
                    int os = i.operandSize();
                    peekStack(os);
                    if (os == 8) {
                        b.aload(X);
                        b.lload(tr);
                        b.iconst_0();
                        b.invokestatic(CD_BLOCK, "canonical", MTD_CANON);
                        b.pop2();
                    }
                    releaseStack(os);
                    exit(() -> b.lload(tr), k + 1);
                }
                case FastPath.PUSH -> {
                    int os = i.operandSize();
                    push(os, () -> loadReg(d, sz));
                    afterStore(k, next, os);
                }
                case FastPath.POP -> {
                    int os = i.operandSize();
                    peekStack(os);
                    releaseStack(os);
                    b.lload(tr);
                    storeReg(d, sz);
                }
                case FastPath.LEA -> {
                    effectiveAddress(o1, i);
                    storeReg(d, sz);
                }
                case FastPath.MOVZX_RR, FastPath.MOVSX_RR -> {
                    loadReg(s);
                    if (kind == FastPath.MOVZX_RR) {
                        truncate(o1.size());
                    } else {
                        signExtend(o1.size());
                    }
                    storeReg(d, sz);
                }
                case FastPath.MOVZX_RM, FastPath.MOVSX_RM -> {
                    load(o1, i, o1.size());
                    if (kind == FastPath.MOVSX_RM) {
                        signExtend(o1.size());
                    }
                    storeReg(d, sz);
                }
                case FastPath.IMUL_RR, FastPath.IMUL_RM, FastPath.IMUL_RRI, FastPath.IMUL_RMI -> {
                    if (kind == FastPath.IMUL_RM || kind == FastPath.IMUL_RMI) {
                        load(o1, i, sz);
                    } else {
                        loadReg(kind == FastPath.IMUL_RR ? d : s, sz);
                    }
                    if (kind == FastPath.IMUL_RM) {
                        b.lstore(tb);
                        loadReg(d, sz);
                        b.lstore(ta);
                    } else {
                        b.lstore(ta);
                        if (kind == FastPath.IMUL_RR) {
                            loadReg(s, sz);
                        } else {
                            lconst(i.operand(2).immediate() & mask(sz));
                        }
                        b.lstore(tb);
                    }
                    b.lload(ta);
                    signExtend(sz);
                    b.lload(tb);
                    signExtend(sz);
                    b.lmul();
                    truncate(sz);
                    b.dup2();
                    b.lstore(tr);
                    storeReg(d, sz);
                    setFlags(LazyFlags.IMUL, sz, ta, tb, tr);
                }
                case FastPath.CMOV_RR, FastPath.CMOV_RM -> {
                    if (kind == FastPath.CMOV_RM) {
                        load(o1, i, sz);
                    } else {
                        loadReg(s);
                    }
                    b.lstore(tb);
                    Label keep = b.newLabel();
                    Label done = b.newLabel();
                    condition(i.op().condition());
                    b.ifeq(keep);
                    b.lload(tb);
                    b.goto_(done);
                    b.labelBinding(keep);
                    loadReg(d);
                    b.labelBinding(done);
                    storeReg(d, sz);
                }
                case FastPath.SETCC -> {
                    condition(i.op().condition());
                    b.i2l();
                    storeReg(d, 1);
                }
                case FastPath.NOP -> {
                }
                default -> throw new IllegalStateException("untranslatable kind " + kind);
            }
        }

        private static int shiftOp(Op op) {
            return op == Op.SHR ? LazyFlags.SHR : op == Op.SAR ? LazyFlags.SAR : LazyFlags.SHL;
        }

        /** Reads the {@code size}-byte value at the top of the stack into {@link #tr}; RSP does not move yet. */
        private void peekStack(int size) {
            b.aload(mem);
            b.aload(X);
            loadReg(X86CpuState.RSP);
            b.iconst_1();
            b.invokestatic(CD_BLOCK, "canonical", MTD_CANON);
            read(size);
            b.lstore(tr);
        }

        private void releaseStack(int size) {
            loadReg(X86CpuState.RSP);
            lconst(size);
            b.ladd();
            b.lstore(reg[X86CpuState.RSP]);
        }

        /** PUSH of the long {@code value} pushes, {@code size} bytes: the store first, then RSP. */
        private void push(int size, Runnable value) {
            value.run();
            b.lstore(tb);
            b.aload(X);
            loadReg(X86CpuState.RSP);
            lconst(size);
            b.lsub();
            b.iconst_1();
            b.invokestatic(CD_BLOCK, "canonical", MTD_CANON);
            b.lstore(tla);
            store(size, tb);
            b.lload(tla);
            b.lstore(reg[X86CpuState.RSP]);
        }

        /** A taken branch of instruction {@code k} to {@code target}. */
        private void jump(long target, int k) {
            Integer t = index.get(target);
            if (t != null) {
                internalJump(k, t);
            } else {
                exitTo(target, k + 1);
            }
        }
    }
}
