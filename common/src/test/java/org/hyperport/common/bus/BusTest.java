package org.hyperport.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BusTest {

    /** Records writes and answers reads with base-relative offsets. */
    static final class Recorder implements BusDevice {
        final List<String> log = new ArrayList<>();

        @Override
        public long read(long offset, int size) {
            return 0x100 + offset;
        }

        @Override
        public void write(long offset, int size, long value) {
            log.add(offset + "/" + size + "=" + value);
        }
    }

    @Test
    void dispatchesToTheWindowWithRelativeOffsets() {
        Bus bus = new Bus("pio");
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        bus.register("a", 0x3f8, 8, a);
        bus.register("b", 0x60, 5, b);

        bus.write(0x3fb, 1, 0x80);
        long r = bus.read(0x64, 1);

        assertEquals(List.of("3/1=128"), a.log);
        assertEquals(0x104, r);
    }

    @Test
    void unclaimedReadsAreAllOnesAndWritesAreDropped() {
        Bus bus = new Bus("pio");
        bus.register("a", 0x10, 4, new Recorder());

        assertEquals(0xff, bus.read(0x14, 1));
        assertEquals(0xffffffffL, bus.read(0x0f, 4));
        assertEquals(-1L, bus.read(0x1000, 8));
        assertFalse(bus.write(0x14, 1, 0));
        assertTrue(bus.write(0x13, 1, 0));
    }

    @Test
    void overlappingWindowsAreRejected() {
        Bus bus = new Bus("mmio");
        bus.register("a", 0x1000, 0x100, new Recorder());

        assertThrows(IllegalArgumentException.class, () -> bus.register("b", 0x10ff, 2, new Recorder()));
        assertThrows(IllegalArgumentException.class, () -> bus.register("c", 0xf00, 0x101, new Recorder()));
        bus.register("d", 0x1100, 1, new Recorder());
        assertTrue(bus.claims(0x1100));
    }
}
