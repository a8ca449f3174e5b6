package org.hyperport.x86.cpu;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.RegisterDesc;
import org.hyperport.api.RegisterDesc.Group;
import org.hyperport.x86.machine.X86EntryState;

/**
 * The x86-64 architectural register file (SDM Vol 1 §3.4, Vol 3A §2.5), as plain fields. The interpreter executes on
 * these fields directly; the KVM engine marshals them to and from {@code kvm_regs}/{@code kvm_sregs}/{@code kvm_fpu}
 * and the MSR list. Its {@link #layout()} is the arch-neutral register list of {@code x86_64}.
 */
public final class X86CpuState {

    public static final String ARCH = "x86_64";

    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
    public static final String[] GPR_NAMES = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9",
        "r10", "r11", "r12", "r13", "r14", "r15"};

    public static final long CR0_PE = 1, CR0_MP = 1 << 1, CR0_ET = 1 << 4, CR0_NE = 1 << 5, CR0_WP = 1 << 16,
            CR0_PG = 1L << 31;
    public static final long CR4_PAE = 1 << 5, CR4_PGE = 1 << 7, CR4_OSFXSR = 1 << 9, CR4_OSXMMEXCPT = 1 << 10;
    public static final long EFER_SCE = 1, EFER_LME = 1 << 8, EFER_LMA = 1 << 10, EFER_NXE = 1 << 11;
    public static final long RFLAGS_FIXED = 2, RFLAGS_IF = 1 << 9;

    /** MSRs carried in the state (SDM Vol 4), index → name. */
    public static final Map<Integer, String> MSRS = msrs();

    public final long[] gpr = new long[16];
    public long rip;
    public long rflags = RFLAGS_FIXED;

    public final Segment es = new Segment(), cs = new Segment(), ss = new Segment(), ds = new Segment(),
            fs = new Segment(), gs = new Segment(), ldt = new Segment(), tr = new Segment();
    public long gdtBase, idtBase;
    public int gdtLimit = 0xffff, idtLimit = 0xffff;

    public long cr0 = CR0_ET | (1L << 30) | (1L << 29), cr2, cr3, cr4, cr8;
    public long efer;
    public long apicBase = 0xFEE00000L | (1 << 11) | (1 << 8);

    /** IA32_PAT power-up value (SDM Vol 3A §13.12.4): WB, WT, UC-, UC, repeated. */
    public static final long PAT_RESET = 0x0007040600070406L;

    /** MSR values in {@link #MSRS} order. */
    public final long[] msr = new long[MSRS.size()];

    public X86CpuState() {
        msr[msrSlot(0x277)] = PAT_RESET;
    }

    public int fcw = 0x37f, fsw, ftw, fop;
    public long fip, fdp;
    public int mxcsr = 0x1f80;
    /** x87 ST0-7 as 80-bit values: low 64 bits in [2i], top 16 in [2i+1]. */
    public final long[] st = new long[16];
    /** XMM0-15: low quadword in [2i], high in [2i+1]. */
    public final long[] xmm = new long[32];

    /** DR0-DR7 as stored by MOV DRn (DR4/DR5 alias DR6/DR7 and are not used); reset values of DR6/DR7. */
    public final long[] dr = {0, 0, 0, 0, 0, 0, 0xffff0ff0L, 0x400};
    /** IA32_MISC_ENABLE (0x1A0): fast strings on, BTS and PEBS unavailable. */
    public long miscEnable = 0x1801;
    /** Fixed-range MTRRs: 0x250, 0x258, 0x259, 0x268-0x26F in that order. */
    public final long[] mtrrFixed = new long[11];
    /** Variable-range MTRRs 0x200-0x20F: IA32_MTRR_PHYSBASEn at [2n], IA32_MTRR_PHYSMASKn at [2n+1]. */
    public final long[] mtrrVar = new long[16];

    private static Map<Integer, String> msrs() {
        Map<Integer, String> m = new LinkedHashMap<>();
        m.put(0x174, "sysenter_cs");
        m.put(0x175, "sysenter_esp");
        m.put(0x176, "sysenter_eip");
        m.put(0x277, "pat");
        m.put(0xC0000081, "star");
        m.put(0xC0000082, "lstar");
        m.put(0xC0000083, "cstar");
        m.put(0xC0000084, "sfmask");
        m.put(0xC0000102, "kernel_gs_base");
        m.put(0xC0000103, "tsc_aux");
        m.put(0x2FF, "mtrr_def_type");
        m.put(0x10, "tsc");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Index into {@link #msr} of an MSR number, or -1. */
    public static int msrSlot(int index) {
        int i = 0;
        for (int k : MSRS.keySet()) {
            if (k == index) {
                return i;
            }
            i++;
        }
        return -1;
    }

    public long msr(int index) {
        return msr[msrSlot(index)];
    }

    private static final String[] SEGMENT_NAMES = {"es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr"};

    private static final List<RegisterDesc> LAYOUT = buildLayout();

    private static List<RegisterDesc> buildLayout() {
        List<RegisterDesc> l = new ArrayList<>();
        for (String n : GPR_NAMES) {
            l.add(new RegisterDesc(n, 64, Group.GENERAL));
        }
        l.add(new RegisterDesc("rip", 64, Group.GENERAL));
        l.add(new RegisterDesc("rflags", 64, Group.FLAGS));
        for (String s : SEGMENT_NAMES) {
            l.add(new RegisterDesc(s, 16, Group.SEGMENT));
            l.add(new RegisterDesc(s + ".base", 64, Group.SEGMENT));
            l.add(new RegisterDesc(s + ".limit", 32, Group.SEGMENT));
            // The accessed bit of a cached code/data descriptor type is hidden state: hardware and emulators differ
            // on whether the cache reflects the A bit they set in memory (SDM Vol 3A §3.4.5.1).
            l.add(new RegisterDesc(s + ".attr", 32, Group.SEGMENT, s.equals("tr") || s.equals("ldtr") ? 0 : 1));
        }
        l.add(new RegisterDesc("gdtr.base", 64, Group.SEGMENT));
        l.add(new RegisterDesc("gdtr.limit", 16, Group.SEGMENT));
        l.add(new RegisterDesc("idtr.base", 64, Group.SEGMENT));
        l.add(new RegisterDesc("idtr.limit", 16, Group.SEGMENT));
        for (String c : new String[] {"cr0", "cr2", "cr3", "cr4", "cr8", "efer", "apic_base"}) {
            l.add(new RegisterDesc(c, 64, Group.CONTROL));
        }
        for (String m : MSRS.values()) {
            l.add(new RegisterDesc(m, 64, m.equals("tsc") ? Group.TIMER : Group.CONTROL));
        }
        l.add(new RegisterDesc("fcw", 16, Group.FLOAT));
        l.add(new RegisterDesc("fsw", 16, Group.FLOAT));
        l.add(new RegisterDesc("ftw", 8, Group.FLOAT));
        l.add(new RegisterDesc("mxcsr", 32, Group.FLOAT));
        for (int i = 0; i < 8; i++) {
            l.add(new RegisterDesc("st" + i, 80, Group.FLOAT));
        }
        for (int i = 0; i < 16; i++) {
            l.add(new RegisterDesc("xmm" + i, 128, Group.FLOAT));
        }
        return List.copyOf(l);
    }

    public static List<RegisterDesc> layout() {
        return LAYOUT;
    }

    private Segment[] segments() {
        return new Segment[] {es, cs, ss, ds, fs, gs, ldt, tr};
    }

    private static BigInteger u(long v) {
        return v >= 0 ? BigInteger.valueOf(v) : BigInteger.valueOf(v).add(BigInteger.ONE.shiftLeft(64));
    }

    private static BigInteger wide(long lo, long hi, int hiBits) {
        long hiMasked = hiBits >= 64 ? hi : hi & ((1L << hiBits) - 1);
        return u(hiMasked).shiftLeft(64).or(u(lo));
    }

    /** The arch-neutral dump. */
    public CpuSnapshot snapshot() {
        LinkedHashMap<String, BigInteger> v = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            v.put(GPR_NAMES[i], u(gpr[i]));
        }
        v.put("rip", u(rip));
        v.put("rflags", u(rflags));
        Segment[] segs = segments();
        for (int i = 0; i < segs.length; i++) {
            String n = SEGMENT_NAMES[i];
            v.put(n, BigInteger.valueOf(segs[i].selector & 0xffff));
            v.put(n + ".base", u(segs[i].base));
            v.put(n + ".limit", u(segs[i].limit & 0xffffffffL));
            v.put(n + ".attr", u(segs[i].attr & 0xffffffffL));
        }
        v.put("gdtr.base", u(gdtBase));
        v.put("gdtr.limit", BigInteger.valueOf(gdtLimit & 0xffff));
        v.put("idtr.base", u(idtBase));
        v.put("idtr.limit", BigInteger.valueOf(idtLimit & 0xffff));
        v.put("cr0", u(cr0));
        v.put("cr2", u(cr2));
        v.put("cr3", u(cr3));
        v.put("cr4", u(cr4));
        v.put("cr8", u(cr8));
        v.put("efer", u(efer));
        v.put("apic_base", u(apicBase));
        int i = 0;
        for (String m : MSRS.values()) {
            v.put(m, u(msr[i++]));
        }
        v.put("fcw", BigInteger.valueOf(fcw & 0xffff));
        v.put("fsw", BigInteger.valueOf(fsw & 0xffff));
        v.put("ftw", BigInteger.valueOf(ftw & 0xff));
        v.put("mxcsr", u(mxcsr & 0xffffffffL));
        for (int k = 0; k < 8; k++) {
            v.put("st" + k, wide(st[2 * k], st[2 * k + 1], 16));
        }
        for (int k = 0; k < 16; k++) {
            v.put("xmm" + k, wide(xmm[2 * k], xmm[2 * k + 1], 64));
        }
        Map<String, RegisterDesc> byName = new LinkedHashMap<>();
        for (RegisterDesc d : LAYOUT) {
            byName.put(d.name(), d);
        }
        return new CpuSnapshot(ARCH, v, byName);
    }

    /** Writes every register in {@code s} into this state. */
    public void restore(CpuSnapshot s) {
        if (!ARCH.equals(s.architecture())) {
            throw new IllegalArgumentException("snapshot is of " + s.architecture() + ", not " + ARCH);
        }
        Segment[] segs = segments();
        for (var e : s.values().entrySet()) {
            String n = e.getKey();
            BigInteger b = e.getValue();
            long x = b.longValue();
            int gi = indexOf(GPR_NAMES, n);
            if (gi >= 0) {
                gpr[gi] = x;
                continue;
            }
            int dot = n.indexOf('.');
            int si = indexOf(SEGMENT_NAMES, dot < 0 ? n : n.substring(0, dot));
            if (si >= 0) {
                Segment g = segs[si];
                switch (dot < 0 ? "" : n.substring(dot + 1)) {
                    case "" -> g.selector = (int) x & 0xffff;
                    case "base" -> g.base = x;
                    case "limit" -> g.limit = (int) x;
                    case "attr" -> g.attr = (int) x;
                    default -> throw unknown(n);
                }
                continue;
            }
            if (n.startsWith("st") && n.length() == 3 && Character.isDigit(n.charAt(2))) {
                int k = n.charAt(2) - '0';
                st[2 * k] = x;
                st[2 * k + 1] = b.shiftRight(64).longValue() & 0xffff;
                continue;
            }
            if (n.startsWith("xmm")) {
                int k = Integer.parseInt(n.substring(3));
                if (k < 0 || k > 15) {
                    throw unknown(n);
                }
                xmm[2 * k] = x;
                xmm[2 * k + 1] = b.shiftRight(64).longValue();
                continue;
            }
            int mi = indexOf(MSRS.values().toArray(String[]::new), n);
            if (mi >= 0) {
                msr[mi] = x;
                continue;
            }
            switch (n) {
                case "rip" -> rip = x;
                case "rflags" -> rflags = x;
                case "gdtr.base" -> gdtBase = x;
                case "gdtr.limit" -> gdtLimit = (int) x & 0xffff;
                case "idtr.base" -> idtBase = x;
                case "idtr.limit" -> idtLimit = (int) x & 0xffff;
                case "cr0" -> cr0 = x;
                case "cr2" -> cr2 = x;
                case "cr3" -> cr3 = x;
                case "cr4" -> cr4 = x;
                case "cr8" -> cr8 = x;
                case "efer" -> efer = x;
                case "apic_base" -> apicBase = x;
                case "fcw" -> fcw = (int) x & 0xffff;
                case "fsw" -> fsw = (int) x & 0xffff;
                case "ftw" -> ftw = (int) x & 0xff;
                case "mxcsr" -> mxcsr = (int) x;
                default -> throw unknown(n);
            }
        }
    }

    private static IllegalArgumentException unknown(String n) {
        return new IllegalArgumentException(ARCH + " has no register " + n);
    }

    private static int indexOf(String[] a, String n) {
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals(n)) {
                return i;
            }
        }
        return -1;
    }

    /** IA32_MTRR_DEF_TYPE: MTRRs enabled (bit 11), default type write-back (6), as firmware leaves it. */
    public static final long MTRR_DEF_TYPE_WB = (1 << 11) | 6;

    /** Puts this state where the boot protocol leaves the boot processor (boot.rst, PVH, Multiboot §3.2). */
    public void enter(X86EntryState e) {
        msr[msrSlot(0x2FF)] = MTRR_DEF_TYPE_WB;
        java.util.Arrays.fill(gpr, 0);
        gpr[RAX] = e.rax();
        gpr[RBX] = e.rbx();
        gpr[RSI] = e.rsi();
        gpr[RSP] = e.rsp();
        rip = e.rip();
        rflags = RFLAGS_FIXED;
        gdtBase = e.gdtBase();
        gdtLimit = e.gdtLimit();
        idtBase = 0;
        idtLimit = 0;
        int data = 0x3 | Segment.S | Segment.P | Segment.DB | Segment.G;
        for (Segment s : new Segment[] {ds, es, ss, fs, gs}) {
            s.set(0x18, 0, 0xffffffff, data);
        }
        ldt.set(0, 0, 0xffff, 0x2 | Segment.P | Segment.UNUSABLE);
        tr.set(0x20, 0, 0x67, 0xb | Segment.P);
        switch (e.mode()) {
            case PROTECTED_32 -> {
                cs.set(0x10, 0, 0xffffffff, 0xb | Segment.S | Segment.P | Segment.DB | Segment.G);
                cr0 = CR0_PE | CR0_ET;
                cr3 = 0;
                cr4 = 0;
                efer = 0;
            }
            case LONG_64 -> {
                cs.set(0x10, 0, 0xffffffff, 0xb | Segment.S | Segment.P | Segment.L | Segment.G);
                cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_PG;
                cr3 = e.cr3();
                cr4 = CR4_PAE;
                efer = EFER_LME | EFER_LMA;
            }
        }
    }

    /** Processor mode as text: real, protected-16/32, compat, long-64. */
    public String modeName() {
        if ((cr0 & CR0_PE) == 0) {
            return "real";
        }
        if ((efer & EFER_LMA) != 0) {
            return (cs.attr & Segment.L) != 0 ? "long-64" : "compat";
        }
        return (cs.attr & Segment.DB) != 0 ? "protected-32" : "protected-16";
    }

    /** The linear address of the current instruction. */
    public long linearRip() {
        return "long-64".equals(modeName()) ? rip : (cs.base + rip) & 0xffffffffL;
    }
}
