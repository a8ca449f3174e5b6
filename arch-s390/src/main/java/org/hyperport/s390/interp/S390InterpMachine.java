package org.hyperport.s390.interp;

import jakarta.inject.Inject;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.BootImage;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.InterruptController;
import org.hyperport.api.Machine;
import org.hyperport.api.MachineSpec;
import org.hyperport.api.VcpuExit;
import org.hyperport.api.VmConfig;
import org.hyperport.api.VmControl;
import org.hyperport.common.console.Console;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.s390.intc.FloatingInterruptions;
import org.hyperport.s390.machine.S390Board;

/**
 * The s390x board on the interpreter: one {@link S390Interpreter} per CPU (CPU address = index) sharing storage,
 * storage keys and the {@link S390Board} as their platform. SCLP, SIGP and DIAGNOSE are handled inside the machine,
 * so the vCPUs never exit for devices (there is no port I/O or MMIO on s390).
 */
public final class S390InterpMachine implements Machine {

    private final RamGuestMemory memory;
    private final S390Board board;
    private final List<S390InterpVcpu> vcpus = new ArrayList<>();
    private final FloatingInterruptions intc;

    @Inject
    public S390InterpMachine(VmConfig config, VmControl control, Console console) {
        S390Board.checkConfig(config);
        this.memory = RamGuestMemory.map(AddressSpace.ABSOLUTE, ByteOrder.BIG_ENDIAN, 0, config.memoryBytes());
        this.board = new S390Board(config, control, console, memory);
        this.intc = new FloatingInterruptions(board::serviceSignalAttention);
        StorageKeys keys = new StorageKeys(config.memoryBytes());
        Semantics[] semantics = S390Semantics.build(S390Semantics.groups());
        List<S390Interpreter> interps = new ArrayList<>();
        for (int i = 0; i < config.smp(); i++) {
            interps.add(new S390Interpreter(new org.hyperport.s390.cpu.S390CpuState(), memory, keys, board, i,
                    semantics));
        }
        board.attach(interps);
        for (int i = 0; i < config.smp(); i++) {
            vcpus.add(new S390InterpVcpu(board.cpus().get(i), board, control));
        }
    }

    public S390Board board() {
        return board;
    }

    @Override
    public MachineSpec spec() {
        return board.spec();
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public InterruptController interruptController() {
        return intc;
    }

    @Override
    public List<S390InterpVcpu> vcpus() {
        return vcpus;
    }

    @Override
    public void boot(BootImage image) {
        board.boot(image);
    }

    @Override
    public void handle(VcpuExit.PortIo io) {
        for (int i = 0; i < io.count(); i++) {
            io.set(i, -1L);
        }
    }

    @Override
    public void handle(VcpuExit.Mmio mmio) {
        if (!mmio.isWrite()) {
            mmio.set(-1L);
        }
    }

    @Override
    public Map<String, Long> stats() {
        return Map.of("instructions retired (interpreter)",
                vcpus.stream().mapToLong(S390InterpVcpu::retired).sum());
    }

    @Override
    public void close() {
        memory.close();
    }
}
