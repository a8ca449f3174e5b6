package org.hyperport.s390.machine;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.Engine;
import org.hyperport.api.VmConfig;
import org.hyperport.common.console.CapturingConsole;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.StorageKeys;

/** A board with {@code smp} CPUs on small storage, CPU 0 operating, no vCPU threads: for platform tests. */
final class TestBoard {
    final FakeControl control = new FakeControl();
    final CapturingConsole console = new CapturingConsole();
    final RamGuestMemory ram;
    final S390Board board;
    final List<S390Interpreter> cpus = new ArrayList<>();

    TestBoard(int smp) {
        long size = 4L << 20;
        VmConfig config = new VmConfig("s390x", Engine.INTERPRETER, size, smp, Optional.empty(), Optional.empty(),
                "", false);
        ram = RamGuestMemory.allocate(AddressSpace.ABSOLUTE, ByteOrder.BIG_ENDIAN, 0, size);
        board = new S390Board(config, control, console, ram);
        StorageKeys keys = new StorageKeys(size);
        var semantics = S390Semantics.build(S390Semantics.groups());
        for (int i = 0; i < smp; i++) {
            S390CpuState s = new S390CpuState();
            s.initialReset();
            s.setPsw(S390CpuState.PSW_EA | S390CpuState.PSW_BA, 0x10000);
            cpus.add(new S390Interpreter(s, ram, keys, board, i, semantics));
        }
        board.attach(cpus);
        board.cpus().getFirst().start();
    }

    S390Cpu slot(int i) {
        return board.cpus().get(i);
    }
}
