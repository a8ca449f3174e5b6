package org.hyperport.x86.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.hyperport.api.BootImage;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.Engine;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.VmConfig;
import org.hyperport.common.console.CapturingConsole;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.common.kvm.KvmIoctl;
import org.hyperport.common.kvm.KvmRun;
import org.hyperport.common.vm.VirtualMachine;
import org.hyperport.x86.X86Architecture;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.interp.X86InterpVcpu;
import org.hyperport.x86.interp.X86InterpreterEngine;
import org.hyperport.x86.isa.IntegerOps;
import org.junit.jupiter.api.Test;

/**
 * Single-instruction lock-step of the interpreter against KVM: random general-purpose instructions (ALU, shifts
 * and rotates, multiply and divide, bit tests and scans, SETcc/CMOVcc, exchanges, extensions) from random register,
 * flag and memory states in 64-bit mode. KVM executes each one under {@code KVM_SET_GUEST_DEBUG} single-step, the
 * interpreter with {@link X86InterpVcpu#stepInstruction()}; all GPRs, RIP, RFLAGS (minus the flags the SDM leaves
 * undefined for the instruction) and the data and stack pages must agree afterwards, including when the
 * instruction faults (#DE) and is delivered through the IDT. Any mismatch reports the bytes, the state before and
 * both states after. The oracle for every group here is KVM. Skipped where KVM is unusable.
 */
class LockstepTest {

    static final int CASES = 100_000;
    static final long HANDLERS = LockstepRig.HANDLERS, STACK = LockstepRig.STACK, CODE = LockstepRig.CODE,
            DATA = LockstepRig.DATA;

    /** One generated instruction: bytes and the flags the SDM leaves undefined after it. */
    record Insn(byte[] bytes, long undefinedFlags) {}

    static final long ARITH = IntegerOps.STATUS;

    static Insn generate(SplittableRandom r) {
        List<Integer> b = new ArrayList<>();
        boolean opsize16 = r.nextInt(6) == 0;
        int rexW = r.nextBoolean() ? 8 : 0;
        int reg = pickReg(r);
        int rm = pickReg(r);
        boolean mem = r.nextInt(3) == 0;
        int kind = r.nextInt(16);
        long undefined = 0;
        int[] opcode;
        int regField = reg & 7;
        int extra = -1;
        switch (kind) {
            case 0, 1 -> opcode = new int[] {(r.nextInt(8) << 3) | 1 | (r.nextBoolean() ? 2 : 0)}; // ALU Ev,Gv / Gv,Ev
            case 2 -> {
                opcode = new int[] {0x83};
                regField = r.nextInt(8);
                extra = r.nextInt(256);
            }
            case 3 -> { // shifts/rotates by 1, CL, imm8
                int form = r.nextInt(3);
                opcode = new int[] {form == 0 ? 0xD1 : form == 1 ? 0xD3 : 0xC1};
                regField = r.nextInt(8);
                extra = form == 2 ? r.nextInt(64) : -1;
                undefined = IntegerOps.OF | IntegerOps.AF | IntegerOps.CF;
            }
            case 4 -> { // not/neg/mul/imul/div/idiv
                opcode = new int[] {0xF7};
                regField = 2 + r.nextInt(6);
                undefined = regField >= 4 ? ARITH : 0;
                if (regField == 4 || regField == 5) {
                    undefined = IntegerOps.SF | IntegerOps.ZF | IntegerOps.AF | IntegerOps.PF;
                }
            }
            case 5 -> {
                opcode = new int[] {0xFF};
                regField = r.nextInt(2);
            }
            case 6 -> {
                opcode = new int[] {0x0F, 0xAF};
                undefined = IntegerOps.SF | IntegerOps.ZF | IntegerOps.AF | IntegerOps.PF;
            }
            case 7 -> {
                opcode = new int[] {0x0F, 0xA3 | (r.nextInt(4) << 3)};
                undefined = IntegerOps.OF | IntegerOps.SF | IntegerOps.AF | IntegerOps.PF;
                mem = false; // bit-string addressing beyond the operand is covered elsewhere
            }
            case 8 -> {
                opcode = new int[] {0x0F, 0xBC | r.nextInt(2)};
                undefined = ARITH & ~IntegerOps.ZF;
            }
            case 9 -> opcode = new int[] {0x0F, 0x90 | r.nextInt(16)};
            case 10 -> opcode = new int[] {0x0F, 0x40 | r.nextInt(16)};
            case 11 -> opcode = new int[] {0x0F, new int[] {0xB6, 0xB7, 0xBE, 0xBF}[r.nextInt(4)]};
            case 12 -> {
                // CMPXCHG with a register destination is judged against the host CPU (GeneralHostDifferentialTest):
                // kvm_pvm's instruction emulator writes the destination back on failure, silicon does not.
                boolean cmpxchg = r.nextBoolean();
                opcode = new int[] {0x0F, cmpxchg ? 0xB1 : 0xC1};
                mem |= cmpxchg;
            }
            case 13 -> opcode = new int[] {r.nextBoolean() ? 0x87 : 0x85};
            case 14 -> {
                opcode = new int[] {0x0F, r.nextBoolean() ? 0xA4 : 0xAC};
                extra = r.nextInt(64);
                opsize16 = false;
                undefined = IntegerOps.OF | IntegerOps.AF | IntegerOps.CF;
            }
            default -> {
                opcode = new int[] {0x69};
                extra = -2; // imm32
                undefined = IntegerOps.SF | IntegerOps.ZF | IntegerOps.AF | IntegerOps.PF;
            }
        }
        if (opsize16) {
            b.add(0x66);
        }
        int rex = 0x40 | rexW | ((reg >> 3) << 2) | (mem ? 0 : rm >> 3);
        b.add(rex);
        for (int o : opcode) {
            b.add(o);
        }
        if (mem) {
            b.add((regField << 3) | 3); // [rbx]
        } else {
            b.add(0xC0 | (regField << 3) | (rm & 7));
        }
        if (extra >= 0) {
            b.add(extra);
        } else if (extra == -2) {
            int imm = r.nextInt();
            for (int k = 0; k < 4; k++) {
                b.add((imm >>> (8 * k)) & 0xff);
            }
        }
        byte[] bytes = new byte[b.size()];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (byte) (int) b.get(k);
        }
        return new Insn(bytes, undefined);
    }

    /** Any GPR but RSP (the stack must stay usable for exception delivery) and RBX (the memory pointer). */
    static int pickReg(SplittableRandom r) {
        int x;
        do {
            x = r.nextInt(16);
        } while (x == X86CpuState.RSP || x == X86CpuState.RBX);
        return x;
    }

    @Test
    void interpreterMatchesKvmInstructionByInstruction() throws Exception {
        var a = new X86KvmEngine().probe(new PosixHostInfo());
        assumeTrue(a.usable(), "KVM engine unusable here: " + a.reason());
        VmConfig kc = new VmConfig("x86_64", Engine.KVM, 16L << 20, 1, Optional.empty(), Optional.empty(), "", false);
        VmConfig ic = new VmConfig("x86_64", Engine.INTERPRETER, 16L << 20, 1, Optional.empty(), Optional.empty(), "",
                false);
        byte[] guest = new X86Architecture().embeddedGuest().orElseThrow().load();
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        java.util.Map<String, Integer> other = new java.util.TreeMap<>();
        try (VirtualMachine kvm = VirtualMachine.create(kc, new X86KvmEngine(), new CapturingConsole());
             VirtualMachine interp = VirtualMachine.create(ic, new X86InterpreterEngine(), new CapturingConsole());
             Arena arena = Arena.ofConfined()) {
            kvm.boot(new BootImage("g", guest, Optional.empty(), ""));
            interp.boot(new BootImage("g", guest, Optional.empty(), ""));
            GuestMemory km = kvm.machine().memory();
            GuestMemory im = interp.machine().memory();
            LockstepRig.writeTables(km);
            LockstepRig.writeTables(im);
            X86KvmVcpu kv = (X86KvmVcpu) kvm.machine().vcpus().getFirst();
            X86InterpVcpu iv = (X86InterpVcpu) interp.machine().vcpus().getFirst();
            MemorySegment dbg = arena.allocate(72, 8);
            dbg.set(ValueLayout.JAVA_INT, 0, 1 | 2); // KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP
            kv.fd().ioctl(KvmIoctl.KVM_SET_GUEST_DEBUG, dbg, "KVM_SET_GUEST_DEBUG");
            SplittableRandom r = new SplittableRandom(0x10c5);
            byte[] data = new byte[256];
            for (int n = 0; n < CASES && mismatches.size() < 10; n++) {
                Insn insn = generate(r);
                X86CpuState s = LockstepRig.baseState();
                for (int g = 0; g < 16; g++) {
                    s.gpr[g] = r.nextInt(4) == 0 ? r.nextLong(70) : r.nextLong();
                }
                s.gpr[X86CpuState.RSP] = STACK;
                s.gpr[X86CpuState.RBX] = DATA + (r.nextInt(0x20) * 8);
                s.rflags = 2 | (r.nextLong() & IntegerOps.STATUS);
                s.rip = CODE;
                r.nextBytes(data);
                for (GuestMemory m : List.of(km, im)) {
                    m.writeBytes(CODE, insn.bytes());
                    m.write8(CODE + insn.bytes().length, 0xF4);
                    m.writeBytes(DATA, data);
                    m.fill(STACK - 0x100, 0x100, (byte) 0);
                }
                CpuSnapshot before = s.snapshot();
                kv.state().restore(before);
                iv.state().restore(before);
                int reason = kv.fd().run();
                if (reason != KvmRun.EXIT_DEBUG) {
                    other.merge(KvmRun.exitName(reason) + (reason == KvmRun.EXIT_INTERNAL_ERROR ? " at "
                            + HexFormat.of().formatHex(insn.bytes()) : ""), 1, Integer::sum);
                    continue; // KVM could not single-step this one (an exit of another kind): not judged
                }
                iv.stepInstruction();
                CpuSnapshot ks = kv.state().snapshot();
                CpuSnapshot is = iv.state().snapshot();
                long irip = is.getLong("rip");
                if (irip >= HANDLERS && irip < HANDLERS + 0x1000 && ks.getLong("rip") == irip + 1) {
                    // KVM's single-step also runs the handler's first instruction (a NOP) after delivering the
                    // exception; take the same step.
                    iv.stepInstruction();
                    is = iv.state().snapshot();
                }
                compared++;
                String diff = compare(ks, is, insn.undefinedFlags(), km, im);
                if (diff != null) {
                    mismatches.add(HexFormat.of().formatHex(insn.bytes()) + ": " + diff + "\n  before: "
                            + before.format().replace("\n", "\n          ").lines().limit(5).reduce("", (x, y) -> x
                            + y + "\n"));
                }
            }
        }

        assertEquals(List.of(), mismatches);
        assertTrue(compared > CASES / 2, "only " + compared + " of " + CASES + " cases could be single-stepped; "
                + "other exits: " + other.toString().substring(0, Math.min(600, other.toString().length())));
    }

    static String compare(CpuSnapshot k, CpuSnapshot i, long undefined, GuestMemory km, GuestMemory im) {
        for (String reg : X86CpuState.GPR_NAMES) {
            if (!k.get(reg).equals(i.get(reg))) {
                return reg + " kvm 0x" + k.get(reg).toString(16) + " interp 0x" + i.get(reg).toString(16);
            }
        }
        if (!k.get("rip").equals(i.get("rip"))) {
            return "rip kvm 0x" + k.get("rip").toString(16) + " interp 0x" + i.get("rip").toString(16);
        }
        BigInteger mask = BigInteger.valueOf(0x3fffffL & ~undefined & ~(1L << 16)); // RF is set by the debug trap
        if (!k.get("rflags").and(mask).equals(i.get("rflags").and(mask))) {
            return "rflags kvm 0x" + k.get("rflags").toString(16) + " interp 0x" + i.get("rflags").toString(16)
                    + " (undefined 0x" + Long.toHexString(undefined) + ")";
        }
        for (long off = 0; off < 256; off += 8) {
            if (km.read64(DATA + off) != im.read64(DATA + off)) {
                return String.format("data+%d kvm %x interp %x", off, km.read64(DATA + off), im.read64(DATA + off));
            }
        }
        for (long off = 8; off <= 0x40; off += 8) {
            if (km.read64(STACK - off) != im.read64(STACK - off)) {
                return String.format("stack-%d kvm %x interp %x", off, km.read64(STACK - off),
                        im.read64(STACK - off));
            }
        }
        return null;
    }

}
