package org.hyperport.x86.intc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IoApicTest {

    record Message(int destination, boolean logical, int mode, int vector, boolean level) {
    }

    private final List<Message> sent = new ArrayList<>();
    private final IoApic ioapic = new IoApic((destination, logical, mode, vector, level) ->
            sent.add(new Message(destination, logical, mode, vector, level)));

    private int readRegister(int index) {
        ioapic.write(IoApic.IOREGSEL, 1, index);
        return (int) ioapic.read(IoApic.IOWIN, 4);
    }

    private void writeRegister(int index, int value) {
        ioapic.write(IoApic.IOREGSEL, 4, index);
        ioapic.write(IoApic.IOWIN, 4, value & 0xffffffffL);
    }

    private void program(int pin, int low, int destination) {
        writeRegister(0x11 + 2 * pin, destination << 24);
        writeRegister(0x10 + 2 * pin, low);
    }

    @Test
    void versionRegisterReports24EntriesVersion11() {
        assertEquals(0x00170011, readRegister(IoApic.REG_VERSION));
    }

    @Test
    void idRegisterKeepsBits27To24() {
        writeRegister(IoApic.REG_ID, 0xffffffff);

        assertEquals(0x0f000000, readRegister(IoApic.REG_ID));
        assertEquals(0x0f000000, readRegister(IoApic.REG_ARBITRATION));
    }

    @Test
    void entriesResetMasked() {
        assertEquals(0x00010000, readRegister(0x10));
        assertEquals(0x00010000, readRegister(0x10 + 2 * 23));
    }

    @Test
    void edgeEntryDeliversOncePerRisingEdge() {
        program(4, 0x41, 0);

        ioapic.setPin(4, true);
        ioapic.setPin(4, true);
        ioapic.setPin(4, false);
        ioapic.setPin(4, true);

        assertEquals(List.of(new Message(0, false, ApicBus.FIXED, 0x41, false),
                new Message(0, false, ApicBus.FIXED, 0x41, false)), sent);
    }

    @Test
    void destinationDeliveryModeAndLogicalModeComeFromTheEntry() {
        program(9, 0x0900 | 0x0100 | 0x59, 0x0f);

        ioapic.setPin(9, true);

        assertEquals(List.of(new Message(0x0f, true, ApicBus.LOWEST_PRIORITY, 0x59, false)), sent);
    }

    @Test
    void edgeOnAMaskedPinIsLost() {
        program(4, 0x10041, 0);
        ioapic.setPin(4, true);
        ioapic.setPin(4, false);

        program(4, 0x41, 0);

        assertEquals(List.of(), sent);
    }

    @Test
    void levelEntrySetsRemoteIrrAndDeliversAgainAfterEoiWhileAsserted() {
        program(10, 0x8050, 1);

        ioapic.setPin(10, true);
        int remoteIrr = readRegister(0x10 + 2 * 10) & 0x4000;
        ioapic.eoi(0x50);
        ioapic.setPin(10, false);
        ioapic.eoi(0x50);

        assertEquals(0x4000, remoteIrr);
        assertEquals(2, sent.size());
        assertEquals(new Message(1, false, ApicBus.FIXED, 0x50, true), sent.get(1));
        assertEquals(0, readRegister(0x10 + 2 * 10) & 0x4000);
    }

    @Test
    void eoiForAnotherVectorLeavesRemoteIrrSet() {
        program(10, 0x8050, 1);
        ioapic.setPin(10, true);

        ioapic.eoi(0x51);

        assertEquals(1, sent.size());
        assertEquals(0x4000, readRegister(0x10 + 2 * 10) & 0x4000);
    }

    @Test
    void unmaskingAnAssertedLevelPinDelivers() {
        program(11, 0x18061, 0);
        ioapic.setPin(11, true);

        program(11, 0x8061, 0);

        assertEquals(List.of(new Message(0, false, ApicBus.FIXED, 0x61, true)), sent);
    }

    @Test
    void readOnlyBitsIgnoreWrites() {
        program(3, 0x5000 | 0x2000 | 0x33, 0);

        assertEquals(0x2033, readRegister(0x10 + 2 * 3));
    }

    @Test
    void stateRoundTrip() {
        program(10, 0x8050, 1);
        ioapic.setPin(10, true);
        writeRegister(IoApic.REG_ID, 0x02000000);
        IrqchipState.Ioapic saved = ioapic.state();
        IoApic other = new IoApic((d, l, m, v, t) -> true);

        other.restore(saved);

        assertEquals(saved, other.state());
        assertEquals(0x4000, saved.redirection().get(10) & 0x4000);
    }
}
