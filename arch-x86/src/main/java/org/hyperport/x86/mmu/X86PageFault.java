package org.hyperport.x86.mmu;

import org.hyperport.api.ArchFault;

/**
 * #PF (vector 14) with its error code and the faulting linear address that goes to CR2 (SDM Vol 3A §4.7).
 * Error-code bits: P 0, W/R 1, U/S 2, RSVD 3, I/D 4, PK 5.
 */
public record X86PageFault(int errorCode, long cr2) implements ArchFault {
    public static final int P = 1, W = 2, U = 4, RSVD = 8, ID = 16;

    @Override
    public String name() {
        return "#PF";
    }

    @Override
    public long code() {
        return 14;
    }

    @Override
    public String describe() {
        return String.format("#PF error 0x%x (%s%s%s%s%s) cr2 0x%x", errorCode,
                (errorCode & P) != 0 ? "protection" : "not-present", (errorCode & W) != 0 ? ",write" : ",read",
                (errorCode & U) != 0 ? ",user" : ",supervisor", (errorCode & RSVD) != 0 ? ",reserved-bit" : "",
                (errorCode & ID) != 0 ? ",fetch" : "", cr2);
    }
}
