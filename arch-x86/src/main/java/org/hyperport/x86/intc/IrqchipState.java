package org.hyperport.x86.intc;

import java.util.List;

/**
 * Everything needed to snapshot and restore the x86 interrupt controllers: the two 8259As, the I/O APIC and one local
 * APIC per vCPU. It is the one state format of every x86 irqchip implementation ({@link EmulatedIrqchip} today; the
 * in-kernel KVM one converts to and from KVM_GET_IRQCHIP / KVM_GET_LAPIC with the same fields), so a snapshot taken
 * under one engine restores under the other. Field names follow the datasheets and KVM's {@code kvm_pic_state},
 * {@code kvm_ioapic_state} and {@code kvm_lapic_state}. Times are {@link org.hyperport.x86.timer.VirtualClock}
 * nanoseconds.
 */
public record IrqchipState(Pic master, Pic slave, Ioapic ioapic, List<Lapic> lapics) {

    public IrqchipState {
        lapics = List.copyOf(lapics);
    }

    /**
     * One 8259A. {@code lines} are the IR input levels (edge detection); {@code priorityAdd} is the IR with the
     * highest priority (one above the lowest, as set by rotation); {@code initStep} is the next ICW expected (0 when
     * initialised, else 2, 3 or 4); {@code elcr} is the PIIX edge/level control register for this chip.
     */
    public record Pic(int lines, int irr, int isr, int imr, int elcr, int vectorBase, int priorityAdd, int initStep,
                      boolean needIcw4, boolean single, boolean levelTriggeredMode, int icw3, boolean autoEoi,
                      boolean rotateOnAutoEoi, boolean specialFullyNested, boolean specialMask, boolean readIsr,
                      boolean poll) {
    }

    /** The I/O APIC: {@code pinLevels} has bit n set while pin n is asserted; 24 redirection entries. */
    public record Ioapic(int id, int ioregsel, int pinLevels, List<Long> redirection) {
        public Ioapic {
            redirection = List.copyOf(redirection);
        }
    }

    /** A 256-bit vector set (ISR, TMR or IRR): vector v is bit v % 64 of word v / 64. */
    public record Vectors(long w0, long w1, long w2, long w3) {

        public static final Vectors NONE = new Vectors(0, 0, 0, 0);

        static Vectors of(long[] words) {
            return new Vectors(words[0], words[1], words[2], words[3]);
        }

        void copyTo(long[] words) {
            words[0] = w0;
            words[1] = w1;
            words[2] = w2;
            words[3] = w3;
        }

        public boolean contains(int vector) {
            long w = switch (vector >> 6) {
                case 0 -> w0;
                case 1 -> w1;
                case 2 -> w2;
                default -> w3;
            };
            return (w >>> (vector & 63) & 1) != 0;
        }
    }

    /**
     * One local APIC. Registers are as the guest reads them in xAPIC form ({@code id} is the full APIC ID, shifted
     * to bits 31-24 only on an xAPIC read). The timer: {@code timerStart} is when the current count last equalled
     * {@code initialCount}, {@code timerRunning} is false once a one-shot count reaches 0; {@code tscDeadline} is MSR
     * 0x6E0. The rest are events not yet taken by the CPU: a pending NMI, INIT, startup IPI vector (-1 for none),
     * ExtINT (an INTA cycle owed to the 8259), and whether the CPU waits for a startup IPI.
     */
    public record Lapic(long apicBase, int id, int tpr, int ldr, int dfr, int svr, Vectors isr, Vectors tmr,
                        Vectors irr, int esr, int pendingErrors, int icrLow, int icrHigh, int lvtTimer, int lvtThermal,
                        int lvtPerf, int lvtLint0, int lvtLint1, int lvtError, int initialCount, int divideConfig,
                        long timerStart, boolean timerRunning, long tscDeadline, boolean lint1Level,
                        boolean nmiPending, boolean initPending, int sipiVector, boolean waitingForSipi,
                        boolean extIntPending) {
    }
}
