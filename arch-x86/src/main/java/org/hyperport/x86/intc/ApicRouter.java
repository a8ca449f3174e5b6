package org.hyperport.x86.intc;

import java.util.function.IntConsumer;

/**
 * Routes APIC-bus messages: I/O APIC messages ({@link ApicBus}) and IPIs to the local APICs, EOI broadcasts to the
 * I/O APIC, and wake-ups to the engine. Always called with the irqchip's lock held.
 */
final class ApicRouter implements ApicBus {

    static final int NO_SHORTHAND = 0;
    static final int SELF = 1;
    static final int ALL_INCLUDING_SELF = 2;
    static final int ALL_EXCLUDING_SELF = 3;

    private LocalApic[] apics = new LocalApic[0];
    private IoApic ioapic;
    private volatile IntConsumer kick = vcpu -> { };

    void attach(LocalApic[] apics, IoApic ioapic) {
        this.apics = apics;
        this.ioapic = ioapic;
    }

    void setKick(IntConsumer kick) {
        this.kick = kick;
    }

    void kick(int vcpu) {
        kick.accept(vcpu);
    }

    @Override
    public boolean deliver(int destination, boolean logical, int deliveryMode, int vector, boolean levelTriggered) {
        return send(null, NO_SHORTHAND, destination & 0xff, false, logical, deliveryMode, vector, levelTriggered);
    }

    /** An IPI from {@code source}'s interrupt command register. */
    boolean ipi(LocalApic source, int shorthand, int destination, boolean logical, int deliveryMode, int vector,
                boolean levelTriggered) {
        return send(source, shorthand, destination, source.x2apic(), logical, deliveryMode, vector, levelTriggered);
    }

    void eoi(int vector) {
        if (ioapic != null) {
            ioapic.eoi(vector);
        }
    }

    private boolean send(LocalApic source, int shorthand, int destination, boolean x2apicFormat, boolean logical,
                         int mode, int vector, boolean levelTriggered) {
        if (mode == LOWEST_PRIORITY && shorthand == NO_SHORTHAND) {
            LocalApic best = null;
            for (LocalApic a : apics) {
                if (a.matches(destination, logical, x2apicFormat) && a.softwareEnabled()
                        && (best == null || (a.ppr() & 0xf0) < (best.ppr() & 0xf0))) {
                    best = a;
                }
            }
            return best != null && best.accept(mode, vector, levelTriggered);
        }
        boolean accepted = false;
        for (LocalApic a : apics) {
            boolean target = switch (shorthand) {
                case SELF -> a == source;
                case ALL_INCLUDING_SELF -> true;
                case ALL_EXCLUDING_SELF -> a != source;
                default -> a.matches(destination, logical, x2apicFormat);
            };
            if (target) {
                accepted |= a.accept(mode, vector, levelTriggered);
            }
        }
        return accepted;
    }
}
