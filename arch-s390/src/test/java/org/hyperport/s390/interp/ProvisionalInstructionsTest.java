package org.hyperport.s390.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The stop-gap SERVC/SIGP/DIAG/STCK/SCKC: operands as the platform receives them (PoP Ch. 10; QEMU handle_sigp). */
class ProvisionalInstructionsTest {

    final S390TestCpu t = new S390TestCpu();

    @Test
    void servcPassesTheCommandWordAndTheSccbAddress() {
        t.cpu.gpr[4] = 0xffff_ffff_0076_0005L;
        t.cpu.gpr[5] = 0x8000;
        t.load(S390TestCpu.CODE, "b220 0045");

        t.run(1);

        assertEquals(List.of("servc 00760005 8000"), t.calls);
        assertEquals(S390TestCpu.CODE + 4, t.cpu.pswAddr);
    }

    @Test
    void sigpTakesTheOrderFromTheAddressAndTheParameterFromR1PlusOneOrOddR1() {
        t.cpu.gpr[2] = 0x1111;
        t.cpu.gpr[3] = 0x3333;
        t.cpu.gpr[6] = 0x1_0002; // CPU address: bits 48-63
        t.cpu.gpr[7] = 0x40;
        t.load(S390TestCpu.CODE, "ae26 7005 ae36 0006");  // sigp 2,6,5(7) ; sigp 3,6,6

        t.run(2);

        assertEquals(List.of("sigp 69 2 3333", "sigp 6 2 3333"), t.calls);
    }

    @Test
    void diagPassesTheCodeAndRegisterNumbers() {
        t.load(S390TestCpu.CODE, "8324 0308");

        t.run(1);

        assertEquals(List.of("diag 308 2 4"), t.calls);
    }

    @Test
    void stckStoresTheTodAndSckcSetsTheComparator() {
        t.ram.write64(0x900, 0x1234_5678_0000_0000L);
        t.load(S390TestCpu.CODE, "b205 0100 b206 0900 b206 0904");  // stck 0x100; sckc 0x900; sckc 0x904

        t.run(3);

        assertEquals(t.tod, t.ram.read64(0x100));
        assertEquals(0x1234_5678_0000_0000L, t.cpu.clockComparator);
        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }
}
