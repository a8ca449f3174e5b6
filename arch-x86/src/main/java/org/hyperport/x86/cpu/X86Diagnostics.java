package org.hyperport.x86.cpu;

import java.util.HexFormat;
import org.hyperport.api.Access;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.Translation;
import org.hyperport.x86.mmu.X86PageWalker;

/** One-line descriptions of where an x86 vCPU is, for crash reports; shared by every engine. Never throws. */
public final class X86Diagnostics {

    private X86Diagnostics() {
    }

    /** {@code vcpu N <mode> rip 0x... (cs 0x..) bytes xx xx ...}: the 16 bytes at the instruction pointer. */
    public static String location(int vcpu, X86CpuState s, GuestMemory memory) {
        try {
            long la = s.linearRip();
            String bytes;
            Translation t = X86PageWalker.walk(memory, s.cr0, s.cr3, s.cr4, s.efer, la, Access.EXECUTE, 0, false);
            if (t instanceof Translation.Mapped m) {
                int n = (int) Math.min(16, m.pageSize() - (m.address() & (m.pageSize() - 1)));
                if (memory.contains(m.address(), n)) {
                    byte[] b = new byte[n];
                    memory.readBytes(m.address(), b, 0, n);
                    bytes = HexFormat.ofDelimiter(" ").formatHex(b);
                } else {
                    bytes = String.format("<gpa 0x%x not in RAM>", m.address());
                }
            } else {
                bytes = "<" + ((Translation.Fault) t).fault().describe() + ">";
            }
            return String.format("vcpu %d %s rip 0x%x (cs 0x%x) bytes %s", vcpu, s.modeName(), s.rip,
                    s.cs.selector, bytes);
        } catch (RuntimeException e) {
            return "vcpu " + vcpu + " location unavailable: " + e.getMessage();
        }
    }
}
