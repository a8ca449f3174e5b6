package org.hyperport.x86.intc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.hyperport.api.InterruptController;
import org.hyperport.api.IrqLine;
import org.hyperport.common.bus.Bus;
import org.hyperport.x86.timer.TimerQueue;
import org.hyperport.x86.timer.Tsc;

/**
 * The userspace x86 irqchip: the 8259A pair ({@link I8259}), an 82093AA I/O APIC ({@link IoApic}) with 24 pins and a
 * local APIC per vCPU ({@link LocalApic}), wired as on a PC; the emulated counterpart of {@link KvmIrqchip}.
 *
 * <p>Lines are GSIs 0-23, as device IRQ numbers: GSIs 1 and 3-15 go to 8259 IRQ n and I/O APIC pin n, GSIs 16-23 to
 * I/O APIC pins 16-23 only (PCI / virtio-mmio), and the 8259's INT output always reaches vCPU 0's LINT0. GSI 0 (the
 * PIT) depends on the {@link Routing}, which must agree with what the machine's MP table or MADT tells the guest:
 * <ul>
 *   <li>{@link Routing#PC_OVERRIDE} (the default): GSI 0 goes to 8259 IRQ 0 and I/O APIC pin 2, as on a real PC and
 *       QEMU's {@code pc}, with the usual interrupt source override (ISA IRQ 0 to GSI 2) describing it. GSI 2 is
 *       connected to nothing (8259 IRQ 2 is the cascade; pin 2 belongs to the PIT), and I/O APIC pin 0 is driven by
 *       the 8259's INT output, as on PC chipsets, for a guest that runs the 8259 through the I/O APIC in ExtINT
 *       mode.</li>
 *   <li>{@link Routing#IDENTITY}: GSI n goes to pin n for every n, the PIT on pin 0, as KVM's default in-kernel
 *       routing does; this is what hyperport's {@code MpTable} describes today (ISA IRQ n to pin n, no override), so
 *       choose it to be interchangeable with {@link KvmIrqchip} on that board. GSI 2 reaches pin 2 only.</li>
 * </ul>
 *
 * <p>The engine wires it thus: {@link #registerDevices} puts the 8259 ports (0x20, 0xA0, ELCR 0x4D0) on the port bus
 * and the I/O APIC at 0xFEC00000 on the MMIO bus; a vCPU's access to its APIC page ({@link LocalApic#claims}) goes to
 * {@link #lapic}{@code (vcpu)}, as do its APIC MSRs and CR8; the CPU takes interrupts through
 * {@link X86InterruptSource}; {@link #setKick} wakes halted vCPUs. The LAPIC timers run on the {@link TimerQueue} given
 * here, so the engine polls that queue between instruction blocks (the PIT and RTC use the same queue).
 *
 * <p>One lock guards every part, so a device thread raising a line, a vCPU writing an EOI and a timer callback
 * never interleave; per-vCPU {@link #events} are volatile and read without it.
 */
public final class EmulatedIrqchip implements InterruptController, X86InterruptSource {

    public static final int LINES = 24;

    /** Where GSI 0 (the PIT) enters the I/O APIC. */
    public enum Routing {
        /** GSI 0 on pin 2 (with an ISA IRQ 0 to GSI 2 override), 8259 INT on pin 0: a PC, QEMU {@code pc}. */
        PC_OVERRIDE,
        /** GSI n on pin n for all n: KVM's default routing, hyperport's MP table. */
        IDENTITY
    }

    private final Object lock = new Object();
    private final ApicRouter router = new ApicRouter();
    private final I8259 pic = new I8259(lock);
    private final IoApic ioapic = new IoApic(router, lock);
    private final LocalApic[] lapics;
    private final IrqLine[] lines = new IrqLine[LINES];
    private final Routing routing;

    /** {@link Routing#PC_OVERRIDE} routing. */
    public EmulatedIrqchip(int vcpus, TimerQueue timers, Tsc tsc) {
        this(vcpus, timers, tsc, Routing.PC_OVERRIDE);
    }

    /** An irqchip for {@code vcpus} vCPUs whose APIC timers run on {@code timers} and read {@code tsc}. */
    public EmulatedIrqchip(int vcpus, TimerQueue timers, Tsc tsc, Routing routing) {
        this.routing = routing;
        if (vcpus < 1 || vcpus > 255) {
            throw new IllegalArgumentException("xAPIC IDs allow 1-255 vCPUs, not " + vcpus);
        }
        lapics = new LocalApic[vcpus];
        for (int i = 0; i < vcpus; i++) {
            lapics[i] = new LocalApic(i, lock, router, pic, timers, tsc);
        }
        router.attach(lapics, ioapic);
        boolean picOnPin0 = routing == Routing.PC_OVERRIDE;
        pic.setOutput(level -> {
            if (picOnPin0) {
                ioapic.setPin(0, level);
            }
            lapics[0].refresh();
        });
        for (int i = 0; i < LINES; i++) {
            lines[i] = lineFor(i);
        }
    }

    private IrqLine lineFor(int gsi) {
        boolean override = routing == Routing.PC_OVERRIDE;
        if (gsi == 2 && override) {
            return IrqLine.NONE;
        }
        int pin = gsi == 0 && override ? 2 : gsi;
        if (gsi >= 16 || gsi == 2) {
            return level -> ioapic.setPin(pin, level);
        }
        return level -> {
            synchronized (lock) {
                pic.setIrq(gsi, level);
                ioapic.setPin(pin, level);
            }
        };
    }

    public Routing routing() {
        return routing;
    }

    @Override
    public String name() {
        return "emulated-irqchip (8259a x2, ioapic, lapic)";
    }

    @Override
    public int lines() {
        return LINES;
    }

    @Override
    public IrqLine line(int n) {
        if (n < 0 || n >= LINES) {
            throw new IllegalArgumentException("no GSI " + n + " (0-" + (LINES - 1) + ")");
        }
        return lines[n];
    }

    /** Registers the 8259 pair and ELCR on {@code pio}, and the I/O APIC on {@code mmio}. */
    public void registerDevices(Bus pio, Bus mmio) {
        pio.register("i8259 master", I8259.MASTER_BASE, I8259.WINDOW_SIZE, pic.masterPorts());
        pio.register("i8259 slave", I8259.SLAVE_BASE, I8259.WINDOW_SIZE, pic.slavePorts());
        pio.register("elcr", I8259.ELCR_BASE, I8259.WINDOW_SIZE, pic.elcrPorts());
        mmio.register("ioapic", IoApic.BASE, IoApic.WINDOW_SIZE, ioapic);
    }

    public I8259 pic() {
        return pic;
    }

    public IoApic ioapic() {
        return ioapic;
    }

    /** vCPU {@code vcpu}'s local APIC: its MMIO page, MSRs and CR8. */
    public LocalApic lapic(int vcpu) {
        return lapics[vcpu];
    }

    /**
     * Sets what runs when a vCPU gains a pending event (to wake it from HLT). It runs on whichever thread raised the
     * event, with the irqchip's lock held: it must only signal (unpark, notify), never call back in.
     */
    public void setKick(IntConsumer kick) {
        router.setKick(kick);
    }

    @Override
    public int vcpus() {
        return lapics.length;
    }

    @Override
    public int events(int vcpu) {
        return lapics[vcpu].events();
    }

    @Override
    public int acknowledge(int vcpu) {
        return lapics[vcpu].acknowledge();
    }

    @Override
    public boolean takeNmi(int vcpu) {
        return lapics[vcpu].takeNmi();
    }

    @Override
    public boolean takeInit(int vcpu) {
        return lapics[vcpu].takeInit();
    }

    @Override
    public int takeSipi(int vcpu) {
        return lapics[vcpu].takeSipi();
    }

    @Override
    public boolean waitingForSipi(int vcpu) {
        return lapics[vcpu].waitingForSipi();
    }

    /** A consistent snapshot of every controller. */
    public IrqchipState state() {
        synchronized (lock) {
            List<IrqchipState.Lapic> list = new ArrayList<>(lapics.length);
            for (LocalApic a : lapics) {
                list.add(a.state());
            }
            return new IrqchipState(pic.masterState(), pic.slaveState(), ioapic.state(), list);
        }
    }

    /** Restores a snapshot taken with the same number of vCPUs; timers are re-armed on the current clock. */
    public void restore(IrqchipState state) {
        if (state.lapics().size() != lapics.length) {
            throw new IllegalArgumentException("snapshot has " + state.lapics().size() + " local APICs, machine has "
                    + lapics.length);
        }
        synchronized (lock) {
            ioapic.restore(state.ioapic());
            for (int i = 0; i < lapics.length; i++) {
                lapics[i].restore(state.lapics().get(i));
            }
            pic.restore(state.master(), state.slave());
            for (LocalApic a : lapics) {
                a.refresh();
            }
        }
    }
}
