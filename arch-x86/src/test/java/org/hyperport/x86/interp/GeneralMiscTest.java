package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.GeneralMachine.CODE;
import static org.hyperport.x86.interp.GeneralMachine.RAX;
import static org.hyperport.x86.interp.GeneralMachine.RBP;
import static org.hyperport.x86.interp.GeneralMachine.RBX;
import static org.hyperport.x86.interp.GeneralMachine.RSP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** NOP and hints, prefetches, cache-line flushes, fences, UD0/1/2 and address faults. */
class GeneralMiscTest {

    GeneralMachine m = GeneralMachine.long64();

    @AfterEach
    void tearDown() {
        m.close();
    }

    @Test
    void hintsPrefetchesFlushesAndFencesRetireWithoutTouchingMemory() {
        m.unmap(0x100000).set(RAX, 0x100000).code(
                0x90,                               // nop
                0x0f, 0x1f, 0x44, 0x00, 0x00,       // nop dword [rax+rax]
                0xf3, 0x90,                         // pause
                0xf3, 0x0f, 0x1e, 0xfa,             // endbr64
                0x0f, 0x18, 0x08,                   // prefetcht0 [rax]
                0x0f, 0x0d, 0x08,                   // prefetchw [rax]
                0x0f, 0xae, 0x38,                   // clflush [rax]
                0x66, 0x0f, 0xae, 0x38,             // clflushopt [rax]
                0x0f, 0xae, 0xe8,                   // lfence
                0x0f, 0xae, 0xf0,                   // mfence
                0x0f, 0xae, 0xf8);                  // sfence

        for (int n = 0; n < 11; n++) {
            m.step();
        }

        assertEquals(CODE + 34, m.cpu.rip);
        assertEquals(11, m.x.retired);
    }

    @Test
    void ud2Ud1AndUd0RaiseInvalidOpcode() {
        m.code(0x0f, 0x0b);                          // ud2

        m.step();
        int ud2 = m.faultVector;
        m.code(0x0f, 0xb9, 0xc0);                    // ud1 eax, eax
        m.step();
        int ud1 = m.faultVector;
        m.code(0x0f, 0xff, 0xc0);                    // ud0 eax, eax
        m.step();

        assertEquals(CpuFault.UD, ud2);
        assertEquals(CpuFault.UD, ud1);
        assertEquals(CpuFault.UD, m.faultVector);
        assertEquals(CODE, m.cpu.rip);
    }

    @Test
    void clflushOfANonCanonicalAddressIsGp() {
        m.set(RAX, 0x0000_8000_0000_0000L).code(0x0f, 0xae, 0x38);

        m.step();

        assertEquals(CpuFault.GP, m.faultVector);
    }

    @Test
    void nonCanonicalDataAccessIsGpAndNonCanonicalStackAccessIsSs() {
        m.set(RBX, 0x0000_8000_0000_0000L).code(0x48, 0x8b, 0x03);   // mov rax, [rbx]

        m.step();
        int data = m.faultVector;
        m.set(RSP, 0x0000_8000_0000_0008L).code(0x50);              // push rax
        m.step();

        assertEquals(CpuFault.GP, data);
        assertEquals(CpuFault.SS, m.faultVector);
        assertEquals(0x0000_8000_0000_0008L, m.reg(RSP));
    }

    /**
     * In 64-bit mode an SS override has no base, but the reference is still to SS: a non-canonical address faults
     * with #SS(0) (SDM Vol. 3A §6.15, Interrupt 12), as silicon does (KVM lock-step, e.g. {@code lock bts} with a 36
     * prefix); a DS override on an RBP base makes it a data reference, #GP(0).
     */
    @Test
    void nonCanonicalAccessThroughAnSsOverrideIsSsAndThroughDsIsGp() {
        m.set(RBX, 0x0000_8000_0000_0000L).code(0x36, 0x48, 0x8b, 0x03);   // mov rax, ss:[rbx]

        m.step();
        int ss = m.faultVector;
        m.set(RBP, 0x0000_8000_0000_0000L).code(0x3e, 0x48, 0x8b, 0x45, 0x00); // mov rax, ds:[rbp]
        m.step();

        assertEquals(CpuFault.SS, ss);
        assertEquals(CpuFault.GP, m.faultVector);
    }

    @Test
    void systemInstructionsAreLeftToOtherGroups() {
        m.code(0xfa);                                 // cli

        boolean delivered = m.step();

        assertFalse(delivered);
        assertFalse(m.handled);
    }
}
