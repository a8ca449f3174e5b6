package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.ControlInstructions.aligned;
import static org.hyperport.s390.isa.ControlInstructions.low32;

import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.decode.Insn;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.StorageKeys;
import org.hyperport.s390.mmu.DatWalker;

/**
 * The storage-key, DAT and cross-space move instructions of PoP Ch. 10 "Control Instructions": ISKE, SSKE, IVSK,
 * RRBE, PFMF, TPROT; LRA, LRAY, LRAG, LURA, LURAG, STURA, STURG, IPTE, IDTE, CSP, CSPG, PTLB; MVCOS, MVCK, MVCP,
 * MVCS.
 */
public final class StorageControlInstructions implements S390Semantics.Group {

    /** SSKE M3 bits (PoP Ch. 10 "SET STORAGE KEY EXTENDED"): nonquiescing, reference and change update masks,
     * multiple-block. */
    static final int SSKE_NQ = 8, SSKE_MR = 4, SSKE_MC = 2, SSKE_MB = 1;
    /** PFMF GR R1 fields (PoP Ch. 10 "PERFORM FRAME MANAGEMENT FUNCTION"). */
    static final long PFMF_RESERVED = 0xfffc0101L, PFMF_SK = 0x20000, PFMF_CF = 0x10000, PFMF_FSC = 0x7000,
            PFMF_MR = 0x400, PFMF_MC = 0x200, PFMF_KEY = 0xfe;

    @Override
    public void register(S390Semantics.Registry r) {
        keys(r);
        dat(r);
        moves(r);
    }

    /** The 4 KiB block a real address in GR {@code r} designates, as an absolute address (addressing checked). */
    static long block(S390Interpreter c, int r) {
        long real = c.wrap(c.state().gpr[r]) & ~0xfffL;
        long abs = c.absolute(real);
        if (Long.compareUnsigned(abs, c.storageSize()) >= 0) {
            throw c.fault().raise(ProgramInterruption.ADDRESSING);
        }
        return abs;
    }

    /**
     * A conditional key update (SSKE and PFMF with MR/MC): returns the key to set, or -1 when the new ACC and F
     * equal the old and the R and C bits either equal the old or are masked by MR/MC.
     */
    static int conditionalKey(int old, int key, boolean mr, boolean mc) {
        int keep = (mr ? StorageKeys.REFERENCED : 0) | (mc ? StorageKeys.CHANGED : 0);
        int merged = (key & ~keep) | (old & keep);
        return (merged & 0xfe) == (old & 0xfe) ? -1 : merged;
    }

    // ---- Storage keys ---------------------------------------------------------------------------------------------

    private static void keys(S390Semantics.Registry r) {
        r.def("ISKE", (c, i) -> {
            int key = c.keys().get(block(c, i.r2));
            c.state().gpr[i.r1] = (c.state().gpr[i.r1] & ~0xffL) | (key & 0xfe);
        });
        // SET STORAGE KEY EXTENDED: R1 bits 56-62 become the key of the block R2 designates (a real address; with
        // MB, facility 8, an absolute address and every block to the 1 MiB boundary, R2 advancing to it). With MR
        // or MC (conditional SSKE, facility 10) an equal key is left alone: CC 0 not set, CC 1 set, the old key in
        // R1 bits 48-55 (CC 3 and R1 unchanged with MB).
        r.def("SSKE", (c, i) -> {
            S390CpuState s = c.state();
            int key = (int) s.gpr[i.r1] & 0xfe;
            boolean mr = (i.m3 & SSKE_MR) != 0;
            boolean mc = (i.m3 & SSKE_MC) != 0;
            boolean mb = (i.m3 & SSKE_MB) != 0;
            boolean conditional = mr || mc;
            long abs;
            long end;
            if (mb) {
                abs = c.wrap(s.gpr[i.r2]) & ~0xfffL;
                if (Long.compareUnsigned(abs, c.storageSize()) >= 0) {
                    throw c.fault().raise(ProgramInterruption.ADDRESSING);
                }
                end = Math.min((abs | 0xfffff) + 1, c.storageSize());
            } else {
                abs = block(c, i.r2);
                end = abs + 4096;
            }
            int cc = 0;
            for (long b = abs; b < end; b += 4096) {
                int old = c.keys().get(b);
                int set = conditional ? conditionalKey(old, key, mr, mc) : key;
                if (conditional && !mb) {
                    s.gpr[i.r1] = (s.gpr[i.r1] & ~0xff00L) | ((long) old << 8);
                    cc = set < 0 ? 0 : 1;
                }
                if (set >= 0) {
                    c.keys().set(b, set);
                }
            }
            if (mb) {
                long next = c.wrap((c.wrap(s.gpr[i.r2]) | 0xfffff) + 1) | (s.gpr[i.r2] & 0xfff);
                s.gpr[i.r2] = s.addressingMode() == 64 ? next : low32(s.gpr[i.r2], next);
            }
            if (conditional) {
                c.setCc(mb ? 3 : cc);
            }
            c.flushTlb();
        });
        r.def("IVSK", (c, i) -> {
            ControlInstructions.extractionAuthority(c);
            ControlInstructions.datOn(c);
            long a = c.wrap(c.state().gpr[i.r2]);
            c.arBase = i.r2;
            long abs = c.translateWith(a, S390Interpreter.FETCH, c.state().asc(), 0);
            int key = c.keys().get(abs);
            c.state().gpr[i.r1] = (c.state().gpr[i.r1] & ~0xffL) | (key & 0xf8);
        });
        r.def("RRBE", (c, i) -> {
            long abs = block(c, i.r2);
            int key = c.keys().get(abs);
            c.setCc(((key & StorageKeys.REFERENCED) != 0 ? 2 : 0) | ((key & StorageKeys.CHANGED) != 0 ? 1 : 0));
            c.keys().set(abs, key & ~StorageKeys.REFERENCED);
            // The TLB sets reference bits only when it fills, so entries are dropped for the bit to be set again.
            c.flushTlb();
        });
        // PERFORM FRAME MANAGEMENT FUNCTION (EDAT-1): set key and/or clear a 4 KiB frame (real address) or the
        // rest of a 1 MiB frame (absolute address), R2 advancing to the next 1 MiB frame.
        r.def("PFMF", (c, i) -> {
            S390CpuState s = c.state();
            long f = s.gpr[i.r1];
            int fsc = (int) ((f & PFMF_FSC) >>> 12);
            if ((f & PFMF_RESERVED) != 0 || (f >>> 32) != 0 || fsc > 1) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            long start;
            long end;
            long a = c.wrap(s.gpr[i.r2]) & ~0xfffL;
            if (fsc == 0) {
                start = c.absolute(a);
                end = start + 4096;
            } else {
                start = a;
                end = (a | 0xfffff) + 1;
            }
            if (Long.compareUnsigned(start, c.storageSize()) >= 0) {
                throw c.fault().raise(ProgramInterruption.ADDRESSING);
            }
            end = Math.min(end, c.storageSize());
            int key = (int) (f & PFMF_KEY);
            boolean mr = (f & PFMF_MR) != 0;
            boolean mc = (f & PFMF_MC) != 0;
            for (long b = start; b < end; b += 4096) {
                if ((f & PFMF_CF) != 0) {
                    c.ram().fill(b, 4096, (byte) 0);
                    c.keys().markChanged(b);
                }
                if ((f & PFMF_SK) != 0) {
                    int set = mr || mc ? conditionalKey(c.keys().get(b), key, mr, mc) : key;
                    if (set >= 0) {
                        c.keys().set(b, set);
                    }
                }
            }
            if (fsc == 1) {
                long next = c.wrap(end);
                s.gpr[i.r2] = s.addressingMode() == 64 ? next : low32(s.gpr[i.r2], next);
            }
            c.flushTlb();
        });
        // TEST PROTECTION: CC 0 fetch and store permitted, 1 fetch only, 2 neither, 3 translation not available.
        r.def("TPROT", (c, i) -> {
            long a = c.address(0, i.b1, i.d1);
            int b1 = i.b1;
            int key = (int) (c.address(0, i.b2, i.d2) >>> 4) & 0xf;
            c.arBase = b1;
            S390CpuState s = c.state();
            long real = a;
            boolean datProtected = false;
            if ((s.pswMask & S390CpuState.PSW_DAT) != 0) {
                DatWalker.Result w = c.dat().walk(c.currentAsce(S390Interpreter.FETCH), a,
                        (s.cr[0] & S390Interpreter.CR0_EDAT) != 0, false, c.scratchWalk());
                if (w.code == DatWalker.ADDRESSING) {
                    throw c.fault().raise(ProgramInterruption.ADDRESSING);
                }
                if (w.code == DatWalker.TRANSLATION_SPECIFICATION) {
                    throw c.fault().raise(ProgramInterruption.TRANSLATION_SPECIFICATION);
                }
                if (w.code != 0) {
                    c.setCc(3);
                    return;
                }
                real = w.real;
                datProtected = w.protect;
            }
            long abs = c.absolute(real);
            if (Long.compareUnsigned(abs, c.storageSize()) >= 0) {
                throw c.fault().raise(ProgramInterruption.ADDRESSING);
            }
            boolean fetch = c.keyAllows(abs, a, S390Interpreter.FETCH, key);
            boolean store = fetch && !datProtected && c.keyAllows(abs, a, S390Interpreter.STORE, key)
                    && !((s.cr[0] & S390Interpreter.CR0_LOW_ADDRESS_PROTECTION) != 0
                    && S390Interpreter.lowAddress(a));
            c.setCc(store ? 0 : fetch ? 1 : 2);
        });
    }

    // ---- DAT --------------------------------------------------------------------------------------------------------

    private static void dat(S390Semantics.Registry r) {
        r.def("LRA", (c, i) -> loadRealAddress(c, i, false));
        r.def("LRAY", (c, i) -> loadRealAddress(c, i, false));
        r.def("LRAG", (c, i) -> loadRealAddress(c, i, true));
        r.def("LURA", (c, i) -> {
            long abs = c.realAccess(aligned(c, c.wrap(c.state().gpr[i.r2]), 4), S390Interpreter.FETCH);
            c.state().gpr[i.r1] = low32(c.state().gpr[i.r1], c.readAbsolute(abs, 4));
        });
        r.def("LURAG", (c, i) -> {
            long abs = c.realAccess(aligned(c, c.wrap(c.state().gpr[i.r2]), 8), S390Interpreter.FETCH);
            c.state().gpr[i.r1] = c.readAbsolute(abs, 8);
        });
        r.def("STURA", (c, i) -> {
            long abs = c.realAccess(aligned(c, c.wrap(c.state().gpr[i.r2]), 4), S390Interpreter.STORE);
            c.writeAbsolute(abs, 4, c.state().gpr[i.r1]);
        });
        r.def("STURG", (c, i) -> {
            long abs = c.realAccess(aligned(c, c.wrap(c.state().gpr[i.r2]), 8), S390Interpreter.STORE);
            c.writeAbsolute(abs, 8, c.state().gpr[i.r1]);
        });
        // INVALIDATE PAGE TABLE ENTRY: R1 the page-table origin (real), R2 bits 44-51 the page index, R3 (IPTE
        // range) bits 56-63 the additional entries, M4 bit 3 local clearing. With a range, R2's index advances and
        // R3's count ends at 255, as Linux's loop expects.
        r.def("IPTE", (c, i) -> {
            S390CpuState s = c.state();
            long pto = s.gpr[i.r1] & DatWalker.SEGMENT_PT_ORIGIN;
            int px = (int) (s.gpr[i.r2] >>> 12) & 0xff;
            int extra = i.r3 == 0 ? 0 : (int) s.gpr[i.r3] & 0xff;
            for (int k = 0; k <= extra && px + k <= 0xff; k++) {
                long e = pto + 8L * (px + k);
                c.writeReal64(e, c.readReal64(e) | DatWalker.E_INVALID_PAGE);
            }
            if (i.r3 != 0) {
                s.gpr[i.r2] = (s.gpr[i.r2] & ~0xff000L) | ((long) ((px + extra + 1) & 0xff) << 12);
                s.gpr[i.r3] |= 0xff;
            }
            purge(c, (i.m4 & 1) != 0);
        });
        // INVALIDATE DAT TABLE ENTRY (basic form): R1 the table origin and its type (bits 60-61), R2 the
        // invalidation index (the region or segment index of that type), bit 52 "clearing only", bits 53-63 the
        // additional entries; R3 the ASCE whose TLB entries are cleared (all are, here); M4 bit 3 local clearing.
        r.def("IDTE", (c, i) -> {
            S390CpuState s = c.state();
            long r2 = s.gpr[i.r2];
            if ((r2 & 0x800) == 0) {
                long origin = s.gpr[i.r1] & DatWalker.REGION_ORIGIN;
                int dt = (int) (s.gpr[i.r1] >>> 2) & 3;
                int shift = switch (dt) {
                    case DatWalker.DT_REGION_FIRST -> 53;
                    case DatWalker.DT_REGION_SECOND -> 42;
                    case DatWalker.DT_REGION_THIRD -> 31;
                    default -> 20;
                };
                int index = (int) (r2 >>> shift) & 0x7ff;
                int extra = (int) r2 & 0x7ff;
                for (int k = 0; k <= extra && index + k <= 0x7ff; k++) {
                    long e = origin + 8L * (index + k);
                    c.writeReal64(e, c.readReal64(e) | DatWalker.E_INVALID_SEGMENT);
                }
            }
            purge(c, (i.m4 & 1) != 0);
        });
        r.def("CSP", (c, i) -> compareAndSwapAndPurge(c, i, 4));
        r.def("CSPG", (c, i) -> compareAndSwapAndPurge(c, i, 8));
        r.def("PTLB", (c, i) -> c.flushTlb());
    }

    /** Purges this CPU's TLB and, unless {@code local}, every other CPU's. */
    static void purge(S390Interpreter c, boolean local) {
        c.flushTlb();
        if (!local) {
            c.platform().purgeTlbs(c);
        }
    }

    /**
     * LOAD REAL ADDRESS (PoP Ch. 10): translates the second-operand address with the current PSW's
     * address-space control, whether DAT is on or not, without the TLB. CC 0 the real address; CC 1 / CC 2 the
     * real address of the invalid segment- / page-table entry; CC 3 the exception code with bit 32 set (ASCE-type,
     * region-translation and segment-translation-by-length conditions). LRA and LRAY in the 24- and 31-bit modes
     * set bits 32-63 only, and a result beyond 31 bits is a special-operation exception.
     *
     * <p>QEMU 7.2 TCG differs (checked with a bare-metal program): it reports invalid segment and page entries as
     * CC 3 with codes 0x10/0x11, and with DAT off it returns the address untranslated. This follows the PoP.
     */
    static void loadRealAddress(S390Interpreter c, Insn i, boolean grande) {
        S390CpuState s = c.state();
        long a = c.address(i.x2, i.b2, i.d2);
        long asce = c.currentAsce(S390Interpreter.FETCH);
        DatWalker.Result w = c.dat().walk(asce, a, (s.cr[0] & S390Interpreter.CR0_EDAT) != 0, false,
                c.scratchWalk());
        long result;
        int cc;
        switch (w.code) {
            case 0 -> {
                result = w.real;
                cc = 0;
            }
            case DatWalker.ADDRESSING -> throw c.fault().raise(ProgramInterruption.ADDRESSING);
            case DatWalker.TRANSLATION_SPECIFICATION ->
                    throw c.fault().raise(ProgramInterruption.TRANSLATION_SPECIFICATION);
            case DatWalker.SEGMENT_TRANSLATION, DatWalker.PAGE_TRANSLATION -> {
                if (w.invalidBit) {
                    result = w.entryAddress;
                    cc = w.code == DatWalker.SEGMENT_TRANSLATION ? 1 : 2;
                } else {
                    result = 0x80000000L | w.code;
                    cc = 3;
                }
            }
            default -> {
                result = 0x80000000L | w.code;
                cc = 3;
            }
        }
        if (grande || s.addressingMode() == 64) {
            s.gpr[i.r1] = result;
        } else {
            if (cc != 3 && (result >>> 31) != 0) {
                throw c.fault().raise(ProgramInterruption.SPECIAL_OPERATION);
            }
            s.gpr[i.r1] = low32(s.gpr[i.r1], result);
        }
        c.setCc(cc);
    }

    /**
     * COMPARE AND SWAP AND PURGE: R1 (even) is compared with the word or doubleword at the address in R2; if equal,
     * R1+1 is stored and, when R2 bit 63 is one, every TLB of the configuration is purged (CC 0); else the operand
     * is loaded into R1 (CC 1).
     */
    static void compareAndSwapAndPurge(S390Interpreter c, Insn i, int size) {
        if ((i.r1 & 1) != 0) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        S390CpuState s = c.state();
        long r2 = s.gpr[i.r2];
        long a = c.wrap(r2 & ~(long) (size - 1));
        c.probe(a, size, S390Interpreter.STORE);
        long v = c.read(a, size);
        long expected = size == 4 ? s.gpr[i.r1] & 0xffffffffL : s.gpr[i.r1];
        if (v == expected) {
            c.write(a, size, s.gpr[i.r1 + 1]);
            if ((r2 & 1) != 0) {
                purge(c, false);
            }
            c.setCc(0);
        } else {
            s.gpr[i.r1] = size == 4 ? low32(s.gpr[i.r1], v) : v;
            c.setCc(1);
        }
    }

    // ---- Moves between spaces and keys -------------------------------------------------------------------------

    private static void moves(S390Semantics.Registry r) {
        // MOVE WITH OPTIONAL SPECIFICATIONS: GR0 bits 32-47 and 48-63 are the operand-access controls of the first
        // and second operand (key in bits 0-3, AS in 8-9, K valid bit 14, A valid bit 15); the true length is in
        // GR R3; at most 4096 bytes move, CC 3 when more remain.
        r.def("MVCOS", (c, i) -> {
            S390CpuState s = c.state();
            int oac1 = (int) (s.gpr[0] >>> 16) & 0xffff;
            int oac2 = (int) s.gpr[0] & 0xffff;
            int key1 = oacKey(c, oac1);
            int key2 = oacKey(c, oac2);
            int as1 = oacSpace(c, oac1);
            int as2 = oacSpace(c, oac2);
            long len = s.gpr[i.r3];
            long n = Long.compareUnsigned(len, 4096) > 0 ? 4096 : len;
            long d = c.address(0, i.b1, i.d1);
            long src = c.address(0, i.b2, i.d2);
            move(c, d, as1, key1, i.b1, src, as2, key2, i.b2, (int) n);
            c.setCc(n == len ? 0 : 3);
        });
        r.def("MVCK", (c, i) -> {
            S390CpuState s = c.state();
            int key = (int) (s.gpr[i.r3] >>> 4) & 0xf;
            permittedKey(c, key);
            long len = s.addressingMode() == 64 ? s.gpr[i.r1] : s.gpr[i.r1] & 0xffffffffL;
            long n = Long.compareUnsigned(len, 256) > 0 ? 256 : len;
            move(c, c.address(0, i.b1, i.d1), s.asc(), s.key(), i.b1, c.address(0, i.b2, i.d2), s.asc(), key,
                    i.b2, (int) n);
            c.setCc(n == len ? 0 : 3);
        });
        r.def("MVCP", (c, i) -> moveAcross(c, i, S390CpuState.ASC_PRIMARY, S390CpuState.ASC_SECONDARY));
        r.def("MVCS", (c, i) -> moveAcross(c, i, S390CpuState.ASC_SECONDARY, S390CpuState.ASC_PRIMARY));
    }

    /** MVCP / MVCS: the secondary-space operand is accessed with the key in R3 bits 56-59. */
    static void moveAcross(S390Interpreter c, Insn i, int toSpace, int fromSpace) {
        S390CpuState s = c.state();
        if ((s.pswMask & S390CpuState.PSW_DAT) == 0 || (s.cr[0] & S390Interpreter.CR0_SECONDARY_SPACE) == 0
                || s.asc() == S390CpuState.ASC_AR || s.asc() == S390CpuState.ASC_HOME) {
            throw c.fault().raise(ProgramInterruption.SPECIAL_OPERATION);
        }
        int key = (int) (s.gpr[i.r3] >>> 4) & 0xf;
        permittedKey(c, key);
        long len = s.addressingMode() == 64 ? s.gpr[i.r1] : s.gpr[i.r1] & 0xffffffffL;
        long n = Long.compareUnsigned(len, 256) > 0 ? 256 : len;
        int key1 = toSpace == S390CpuState.ASC_SECONDARY ? key : s.key();
        int key2 = fromSpace == S390CpuState.ASC_SECONDARY ? key : s.key();
        move(c, c.address(0, i.b1, i.d1), toSpace, key1, i.b1, c.address(0, i.b2, i.d2), fromSpace, key2, i.b2,
                (int) n);
        c.setCc(n == len ? 0 : 3);
    }

    /** In the problem state, a key must be permitted by the PSW-key mask (CR3 bits 32-47). */
    static void permittedKey(S390Interpreter c, int key) {
        S390CpuState s = c.state();
        if (s.problemState() && (s.cr[3] & (0x80000000L >>> key)) == 0) {
            throw c.fault().raise(ProgramInterruption.PRIVILEGED_OPERATION);
        }
    }

    static int oacKey(S390Interpreter c, int oac) {
        if ((oac & 2) == 0) {
            return c.state().key();
        }
        int key = oac >>> 12;
        permittedKey(c, key);
        return key;
    }

    static int oacSpace(S390Interpreter c, int oac) {
        if ((oac & 1) == 0) {
            return c.state().asc();
        }
        int as = (oac >>> 6) & 3;
        if (as == S390CpuState.ASC_HOME && c.state().problemState()) {
            throw c.fault().raise(ProgramInterruption.PRIVILEGED_OPERATION);
        }
        return as;
    }

    /**
     * Moves {@code n} bytes from {@code src} (space {@code as2}, key {@code key2}) to {@code dst}; all access
     * exceptions of both operands are recognised before anything is stored. Page by page, without the TLB.
     */
    static void move(S390Interpreter c, long dst, int as1, int key1, int b1, long src, int as2, int key2, int b2,
                     int n) {
        if (n == 0) {
            return;
        }
        for (long off = 0; off < n; off = nextPage(src, off, n)) {
            c.arBase = b2;
            c.translateWith(c.wrap(src + off), S390Interpreter.FETCH, as2, key2);
        }
        for (long off = 0; off < n; off = nextPage(dst, off, n)) {
            c.arBase = b1;
            c.translateWith(c.wrap(dst + off), S390Interpreter.STORE, as1, key1);
        }
        long off = 0;
        while (off < n) {
            long sa = c.wrap(src + off);
            long da = c.wrap(dst + off);
            int chunk = (int) Math.min(n - off, Math.min(4096 - (sa & 0xfff), 4096 - (da & 0xfff)));
            c.arBase = b2;
            long sabs = c.translateWith(sa, S390Interpreter.FETCH, as2, key2);
            c.arBase = b1;
            long dabs = c.translateWith(da, S390Interpreter.STORE, as1, key1);
            for (int k = 0; k < chunk; k++) {
                c.writeAbsolute(dabs + k, 1, c.readAbsolute(sabs + k, 1));
            }
            off += chunk;
        }
    }

    private static long nextPage(long base, long off, long n) {
        long a = base + off;
        return Math.min(n, off + (4096 - (a & 0xfff)));
    }
}
