package org.hyperport.x86.interp;

import jakarta.inject.Inject;
import java.nio.ByteOrder;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.BootImage;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.InterruptController;
import org.hyperport.api.Machine;
import org.hyperport.api.MachineSpec;
import org.hyperport.api.VcpuExit;
import org.hyperport.api.VmConfig;
import org.hyperport.api.VmControl;
import org.hyperport.common.bus.Bus;
import org.hyperport.common.console.Console;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.intc.EmulatedIrqchip;
import org.hyperport.x86.machine.X86Board;
import org.hyperport.x86.machine.X86EntryState;
import org.hyperport.x86.timer.CmosRtc;
import org.hyperport.x86.timer.HostClock;
import org.hyperport.x86.timer.I8254;
import org.hyperport.x86.timer.Port61;
import org.hyperport.x86.timer.TimerQueue;
import org.hyperport.x86.timer.Tsc;

/**
 * The x86 board on the interpreter: the same {@link X86Board} (devices, boot protocols) as on KVM, with the
 * interrupt controllers and timers emulated inside the engine where KVM has them in the kernel: the 8259 pair,
 * IOAPIC and local APICs ({@link EmulatedIrqchip}, identity GSI routing as KVM's default), the 8254 PIT, port 0x61
 * and the CMOS RTC.
 */
public final class X86InterpMachine implements Machine {

    /** The TSC rate the interpreter reports. */
    static final long TSC_HZ = 2_000_000_000L;

    private final RamGuestMemory memory;
    private final EmulatedIrqchip irq;
    private final X86Board board;
    private final List<X86InterpVcpu> vcpus = new ArrayList<>();

    @Inject
    public X86InterpMachine(VmConfig config, VmControl control, Console console) {
        X86Board.checkMemory(config);
        this.memory = RamGuestMemory.map(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN,
                X86Board.ramLayout(config.memoryBytes()));
        TimerQueue timers = new TimerQueue(new HostClock());
        Tsc tsc = new Tsc(timers.clock(), TSC_HZ);
        this.irq = new EmulatedIrqchip(config.smp(), timers, tsc, EmulatedIrqchip.Routing.IDENTITY);
        this.board = new X86Board(config, control, console, memory, irq);
        Bus enginePio = new Bus("pio-engine");
        Bus engineMmio = new Bus("mmio-engine");
        irq.registerDevices(enginePio, engineMmio);
        I8254 pit = new I8254(timers, irq.line(0));
        enginePio.register("pit", I8254.BASE, I8254.SIZE, pit);
        enginePio.register("port61", 0x61, 1, new Port61(pit));
        CmosRtc rtc = new CmosRtc(timers, irq.line(8), LocalDateTime.now(ZoneOffset.UTC));
        long below4g = Math.min(config.memoryBytes(), 0xC000_0000L);
        rtc.setMemorySize(below4g, config.memoryBytes() - below4g);
        rtc.setCpuCount(config.smp());
        enginePio.register("cmos-rtc", CmosRtc.BASE, CmosRtc.SIZE, rtc);
        for (int i = 0; i < config.smp(); i++) {
            vcpus.add(new X86InterpVcpu(i, memory, enginePio, engineMmio, irq, timers, tsc, X86Semantics.groups()));
        }
        irq.setKick(v -> vcpus.get(v).wake());
        timers.setWakeup(() -> vcpus.forEach(X86InterpVcpu::wake));
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
        return irq;
    }

    @Override
    public List<X86InterpVcpu> vcpus() {
        return vcpus;
    }

    @Override
    public void boot(BootImage image) {
        X86EntryState entry = board.load(image);
        X86InterpVcpu bsp = vcpus.getFirst();
        bsp.registers().enter(entry);
        bsp.stateChanged();
    }

    @Override
    public void handle(VcpuExit.PortIo io) {
        board.handle(io);
    }

    @Override
    public void handle(VcpuExit.Mmio mmio) {
        board.handle(mmio);
    }

    /** Instructions retired by all vCPUs, for MIPS figures ({@code --stats}). */
    @Override
    public java.util.Map<String, Long> stats() {
        return java.util.Map.of("instructions retired (interpreter)",
                vcpus.stream().mapToLong(X86InterpVcpu::retired).sum(),
                "blocks translated to JVM bytecode", vcpus.stream().mapToLong(X86InterpVcpu::blocksTranslated).sum(),
                "instructions retired in translated blocks",
                vcpus.stream().mapToLong(X86InterpVcpu::retiredTranslated).sum());
    }

    @Override
    public void close() {
        memory.close();
    }
}
