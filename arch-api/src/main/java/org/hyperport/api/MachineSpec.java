package org.hyperport.api;

import java.util.List;

/**
 * A board as data: what {@code hyperport archs --verbose} prints and {@code docs/ARCHITECTURE.md} documents.
 *
 * @param name         hyperport's name for the machine
 * @param modelledOn   the reference machine it follows (QEMU {@code microvm}, {@code pseries}, Ski {@code hpsim})
 * @param memoryMap    RAM, ROM and device windows, sorted by base
 * @param devices      devices with their location and interrupt
 * @param bootProtocol how images are loaded and entered
 */
public record MachineSpec(String name, String modelledOn, List<Region> memoryMap, List<Device> devices,
                          String bootProtocol) {

    public MachineSpec {
        memoryMap = List.copyOf(memoryMap);
        devices = List.copyOf(devices);
    }

    /** One window of the guest-physical address space. */
    public record Region(String name, long base, long size, Kind kind) {
        public enum Kind { RAM, ROM, MMIO, RESERVED }

        public long end() {
            return base + size;
        }
    }

    /** A device, where it sits ({@code io 0x3f8}, {@code mmio 0xfee00000}) and its interrupt ({@code irq 4}). */
    public record Device(String name, String location, String interrupt) {}
}
