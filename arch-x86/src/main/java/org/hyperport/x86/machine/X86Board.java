package org.hyperport.x86.machine;

import java.util.ArrayList;
import java.util.List;
import org.hyperport.api.BootImage;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.HyperportException;
import org.hyperport.api.InterruptController;
import org.hyperport.api.MachineSpec;
import org.hyperport.api.VcpuExit;
import org.hyperport.api.VmConfig;
import org.hyperport.api.VmControl;
import org.hyperport.common.bus.Bus;
import org.hyperport.common.console.Console;
import org.hyperport.common.devices.Uart16550;

/**
 * The x86 board, shared by every engine: a QEMU {@code microvm}-style PC with a 16550A on COM1 (0x3f8, IRQ 4), the
 * i8042 reset line, {@code isa-debug-exit} at 0xf4, the PIC/PIT/IOAPIC/LAPIC set supplied by the engine's interrupt
 * controller, and the Linux boot protocols ({@link X86Boot}). The engine owns vCPUs and memory registration; the
 * board owns devices and boot.
 */
public final class X86Board {

    public static final long MIN_MEMORY = 2L << 20;
    public static final int COM1 = 0x3f8;
    public static final int COM1_IRQ = 4;
    /** hyperport's test-ABI extension: {@code outl tag, 0xf8} records the CPU state. Unclaimed under QEMU. */
    public static final int STATE_RECORD_PORT = 0xf8;
    public static final long IOAPIC_BASE = 0xFEC00000L;
    public static final long LAPIC_BASE = 0xFEE00000L;

    private final VmConfig config;
    private final GuestMemory memory;
    private final Bus pio = new Bus("pio");
    private final Bus mmio = new Bus("mmio");
    private final Uart16550 com1;

    public X86Board(VmConfig config, VmControl control, Console console, GuestMemory memory,
                    InterruptController intc) {
        this.config = config;
        this.memory = memory;
        this.com1 = new Uart16550(console, intc.line(COM1_IRQ));
        pio.register("com1", COM1, 8, com1);
        pio.register("i8042", I8042.BASE, I8042.SIZE, new I8042(control));
        pio.register("isa-debug-exit", DebugExit.PORT, DebugExit.SIZE, new DebugExit(control));
        pio.register("state-record", STATE_RECORD_PORT, 4, new org.hyperport.common.bus.BusDevice() {
            @Override
            public long read(long offset, int size) {
                return org.hyperport.common.bus.Bus.allOnes(size);
            }

            @Override
            public void write(long offset, int size, long value) {
                control.recordState(value);
            }
        });
        // Port 0x80 is the POST/delay port: writes are ignored, as on real hardware.
        pio.register("post-delay", 0x80, 1, new org.hyperport.common.bus.BusDevice() {
            @Override
            public long read(long offset, int size) {
                return 0xff;
            }

            @Override
            public void write(long offset, int size, long value) {
            }
        });
    }

    /** Validates the memory size before anything is mapped. */
    public static void checkMemory(VmConfig config) {
        if (config.memoryBytes() < MIN_MEMORY) {
            throw HyperportException.badInput("--memory " + config.memoryBytes() + " is too small: x86_64 needs at "
                    + "least " + (MIN_MEMORY >> 20) + "M");
        }
        if (config.smp() > 254) {
            throw HyperportException.badInput("--smp " + config.smp() + " is too many: x86_64 supports up to 254");
        }
    }

    /** RAM regions (gpa, size pairs) for {@code memoryBytes}: below the 3 GiB PCI hole, the rest above 4 GiB. */
    public static long[] ramLayout(long memoryBytes) {
        return E820.ramRegions(memoryBytes);
    }

    public MachineSpec spec() {
        return describe(config);
    }

    /** The board for {@code config}, as data. */
    public static MachineSpec describe(VmConfig config) {
        List<MachineSpec.Region> map = new ArrayList<>();
        long[] ram = ramLayout(config.memoryBytes());
        for (int i = 0; i < ram.length; i += 2) {
            map.add(new MachineSpec.Region("ram" + i / 2, ram[i], ram[i + 1], MachineSpec.Region.Kind.RAM));
        }
        map.add(new MachineSpec.Region("ioapic", IOAPIC_BASE, 0x1000, MachineSpec.Region.Kind.MMIO));
        map.add(new MachineSpec.Region("lapic", LAPIC_BASE, 0x1000, MachineSpec.Region.Kind.MMIO));
        return new MachineSpec("x86-pc", "QEMU microvm/pc", map, List.of(
                new MachineSpec.Device("16550a uart (com1)", "io 0x3f8", "irq 4"),
                new MachineSpec.Device("i8042 reset line", "io 0x60/0x64", "-"),
                new MachineSpec.Device("isa-debug-exit", "io 0xf4 (4 bytes)", "-"),
                new MachineSpec.Device("hyperport state-record", "io 0xf8 (4 bytes)", "-"),
                new MachineSpec.Device("8254 pit", "io 0x40-0x43", "irq 0"),
                new MachineSpec.Device("8259a pic pair", "io 0x20/0xa0", "-"),
                new MachineSpec.Device("ioapic", "mmio 0xfec00000", "-"),
                new MachineSpec.Device("local apic", "mmio 0xfee00000", "-")),
                "Linux x86 boot protocol (bzImage, 64-bit entry), PVH (vmlinux Xen note), Multiboot v1 ELF; "
                        + "MP table for --smp");
    }

    /** Loads {@code image} into memory and returns the boot vCPU's entry state. */
    public X86EntryState load(BootImage image) {
        return X86Boot.load(memory, image, config.smp());
    }

    public void handle(VcpuExit.PortIo io) {
        int port = io.port();
        int size = io.size();
        if (io.isWrite()) {
            for (int i = 0; i < io.count(); i++) {
                pio.write(port, size, io.get(i));
            }
        } else {
            for (int i = 0; i < io.count(); i++) {
                io.set(i, pio.read(port, size));
            }
        }
    }

    public void handle(VcpuExit.Mmio m) {
        if (m.isWrite()) {
            mmio.write(m.gpa(), m.size(), m.value());
        } else {
            m.set(mmio.read(m.gpa(), m.size()));
        }
    }

    public Bus pio() {
        return pio;
    }

    public Bus mmio() {
        return mmio;
    }
}
