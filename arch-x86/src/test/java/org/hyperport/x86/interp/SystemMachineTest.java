package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What the system-instruction tests share: a fresh {@link SystemTestMachine} for every test, closed after it. */
abstract class SystemMachineTest {

    SystemTestMachine m;
    X86CpuState cpu;

    @BeforeEach
    void createMachine() {
        m = new SystemTestMachine();
        cpu = m.cpu;
    }

    @AfterEach
    void closeMachine() {
        m.close();
    }
}
