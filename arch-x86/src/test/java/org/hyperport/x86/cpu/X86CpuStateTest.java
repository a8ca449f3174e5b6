package org.hyperport.x86.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.RegisterDesc;
import org.hyperport.x86.machine.X86EntryState;
import org.junit.jupiter.api.Test;

class X86CpuStateTest {

    private static X86CpuState sample() {
        X86CpuState s = new X86CpuState();
        for (int i = 0; i < 16; i++) {
            s.gpr[i] = 0x1111_0000_0000_0000L * (i + 1) + i;
        }
        s.rip = 0xffff_ffff_8100_0000L;
        s.rflags = 0x246;
        s.cs.set(0x10, 0, 0xffffffff, 0xb | Segment.S | Segment.P | Segment.L | Segment.G);
        s.fs.base = 0x7f00_1234_5000L;
        s.cr3 = 0x9000;
        s.efer = 0xd01;
        s.msr[X86CpuState.msrSlot(0xC0000082)] = 0xffff_ffff_8180_0000L;
        s.st[6] = 0x8000_0000_0000_0000L;
        s.st[7] = 0x3fff;
        s.xmm[30] = -1L;
        s.xmm[31] = 0x0123_4567_89ab_cdefL;
        return s;
    }

    @Test
    void snapshotRestoreRoundTripsEveryRegister() {
        CpuSnapshot before = sample().snapshot();
        X86CpuState other = new X86CpuState();

        other.restore(before);

        assertEquals(before.values(), other.snapshot().values());
    }

    @Test
    void wideRegistersKeepAllTheirBits() {
        CpuSnapshot s = sample().snapshot();

        assertEquals(new BigInteger("0123456789abcdefffffffffffffffff", 16), s.get("xmm15"));
        assertEquals(new BigInteger("3fff8000000000000000", 16), s.get("st3"));
        assertEquals(128, s.layout().get("xmm15").bits());
    }

    @Test
    void firstDifferenceNamesTheRegisterInLayoutOrder() {
        X86CpuState a = sample();
        X86CpuState b = sample();
        b.rflags ^= 1;
        b.cr3 = 0xa000;

        CpuSnapshot.Difference d = a.snapshot().firstDifference(b.snapshot(), r -> true).orElseThrow();

        assertEquals("rflags", d.register());
        assertEquals("rflags: 0x246 != 0x247", d.toString());
    }

    @Test
    void timerRegistersCanBeMaskedFromComparison() {
        X86CpuState a = sample();
        X86CpuState b = sample();
        b.msr[X86CpuState.msrSlot(0x10)] = 12345;

        assertTrue(a.snapshot().firstDifference(b.snapshot(), r -> r.group() != RegisterDesc.Group.TIMER)
                .isEmpty());
    }

    @Test
    void unknownRegistersAreRejected() {
        CpuSnapshot s = sample().snapshot();
        java.util.LinkedHashMap<String, BigInteger> bad = new java.util.LinkedHashMap<>(s.values());
        bad.put("r16", BigInteger.ONE);

        assertThrows(IllegalArgumentException.class,
                () -> new X86CpuState().restore(new CpuSnapshot("x86_64", bad, s.layout())));
    }

    @Test
    void longModeEntryMatchesTheBootProtocol() {
        X86CpuState s = new X86CpuState();

        s.enter(new X86EntryState(X86EntryState.Mode.LONG_64, 0x1000200, 0x8ff0, 0, 0, 0x7000, 0x9000, 0x500, 0x2f));

        assertEquals("long-64", s.modeName());
        assertEquals(0x7000, s.gpr[X86CpuState.RSI]);
        assertEquals(0x10, s.cs.selector);
        assertEquals(0x18, s.ss.selector);
        assertEquals(X86CpuState.EFER_LME | X86CpuState.EFER_LMA, s.efer);
        assertEquals(0x9000, s.cr3);
        assertEquals(2, s.rflags);
    }

    @Test
    void protectedModeEntryHasPagingOffAndTheMultibootRegisters() {
        X86CpuState s = new X86CpuState();

        s.enter(new X86EntryState(X86EntryState.Mode.PROTECTED_32, 0x100000, 0, 0x2BADB002L, 0x9000, 0, 0, 0x500,
                0x2f));

        assertEquals("protected-32", s.modeName());
        assertEquals(0x2BADB002L, s.gpr[X86CpuState.RAX]);
        assertEquals(0x9000, s.gpr[X86CpuState.RBX]);
        assertEquals(0, s.cr0 & X86CpuState.CR0_PG);
        assertEquals(0x20, s.tr.selector);
    }
}
