package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.GeneralMachine.CODE;
import static org.hyperport.x86.interp.GeneralMachine.RAX;
import static org.hyperport.x86.interp.GeneralMachine.RBP;
import static org.hyperport.x86.interp.GeneralMachine.RBX;
import static org.hyperport.x86.interp.GeneralMachine.RSI;
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
     * 64-bit mode ignores ES/CS/SS/DS overrides (SDM Vol. 1 §3.3.7.1): a non-canonical address faults by the default
     * segment, #SS(0) for an RSP/RBP base (Vol. 3A §6.15, Interrupt 12) and #GP(0) otherwise, whatever the override;
     * only FS/GS overrides apply (#GP). Silicon agrees (KVM lock-step at CPL3: {@code lock btr cs:[rsp-0xf6], r13}
     * and {@code bt ds:[rbp+0x64], rsi} with a bit offset that leaves the canonical range raise #SS; {@code paddb
     * mm0, ss:[rbx]} raises #GP, which kvm_pvm reflects as #UD).
     */
    @Test
    void nonCanonicalFaultFollowsTheDefaultSegmentNotAnEsCsSsDsOverride() {
        long nonCanonical = 0x0000_8000_0000_0000L;
        m.set(RBX, nonCanonical).code(0x36, 0x48, 0x8b, 0x03);             // mov rax, ss:[rbx]
        m.step();
        int ssOnRbx = m.faultVector;
        m.set(RBP, nonCanonical).code(0x3e, 0x48, 0x8b, 0x45, 0x00);       // mov rax, ds:[rbp]
        m.step();
        int dsOnRbp = m.faultVector;
        m.set(RBP, nonCanonical).code(0x64, 0x48, 0x8b, 0x45, 0x00);       // mov rax, fs:[rbp]
        m.step();
        int fsOnRbp = m.faultVector;
        // bt qword ds:[rbp+0x64], rsi: the register bit offset moves the operand far below RBP, out of the
        // canonical range
        m.set(RBP, 0x6003ecL).set(RSI, 0x913ef285681587fcL).code(0x3e, 0x48, 0x0f, 0xa3, 0x75, 0x64);
        m.step();
        int btOnRbp = m.faultVector;

        assertEquals(CpuFault.GP, ssOnRbx);
        assertEquals(CpuFault.SS, dsOnRbp);
        assertEquals(CpuFault.GP, fsOnRbp);
        assertEquals(CpuFault.SS, btOnRbp);
    }

    @Test
    void systemInstructionsAreLeftToOtherGroups() {
        m.code(0xfa);                                 // cli

        boolean delivered = m.step();

        assertFalse(delivered);
        assertFalse(m.handled);
    }
}
