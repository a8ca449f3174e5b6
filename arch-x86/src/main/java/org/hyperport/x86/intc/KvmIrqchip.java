package org.hyperport.x86.intc;

import org.hyperport.api.InterruptController;
import org.hyperport.api.IrqLine;
import org.hyperport.common.kvm.KvmVm;

/**
 * KVM's in-kernel x86 irqchip (two 8259As, the IOAPIC with 24 pins, and a local APIC per vCPU). Lines are GSIs:
 * 0-15 reach both the PICs and the IOAPIC, 16-23 the IOAPIC only.
 */
public final class KvmIrqchip implements InterruptController {

    public static final int LINES = 24;

    private final KvmVm vm;
    private final IrqLine[] lines = new IrqLine[LINES];

    public KvmIrqchip(KvmVm vm) {
        this.vm = vm;
        for (int i = 0; i < LINES; i++) {
            int gsi = i;
            lines[i] = level -> vm.irqLine(gsi, level);
        }
    }

    @Override
    public String name() {
        return "kvm-irqchip (8259a x2, ioapic, lapic)";
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

    KvmVm vm() {
        return vm;
    }
}
