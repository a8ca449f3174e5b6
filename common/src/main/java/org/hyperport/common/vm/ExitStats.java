package org.hyperport.common.vm;

import java.util.Map;
import java.util.TreeMap;
import org.hyperport.api.VcpuExit;

/**
 * Exit counts by reason for one vCPU ({@code --stats}). Port I/O and MMIO are counted per port/page and direction so
 * that slow paths show up by device. Only touched by its vCPU's thread; allocation happens the first time a new
 * port or page is seen, never on repeat exits.
 */
final class ExitStats {

    private final Map<String, long[]> counts = new TreeMap<>();
    private final long[][] pio = new long[2][65536];
    private final Map<Long, long[]> mmio = new java.util.HashMap<>();

    void count(VcpuExit exit) {
        switch (exit) {
            case VcpuExit.PortIo io -> pio[io.isWrite() ? 1 : 0][io.port()]++;
            case VcpuExit.Mmio m -> {
                long key = (m.gpa() & ~0xfffL) | (m.isWrite() ? 1 : 0);
                long[] c = mmio.get(key);
                if (c == null) {
                    c = new long[1];
                    mmio.put(key, c);
                }
                c[0]++;
            }
            case VcpuExit.Halted h -> bump("halted");
            case VcpuExit.Shutdown s -> bump("shutdown");
            case VcpuExit.EngineFailure f -> bump("engine-failure");
            case VcpuExit.Stopped s -> bump("stopped (kick/signal)");
        }
    }

    private void bump(String k) {
        counts.computeIfAbsent(k, x -> new long[1])[0]++;
    }

    /** Merges into {@code into}: keys like {@code io out 0x3f8}, {@code mmio write 0xfee00000}. */
    void mergeInto(Map<String, Long> into) {
        for (int dir = 0; dir < 2; dir++) {
            for (int port = 0; port < 65536; port++) {
                long n = pio[dir][port];
                if (n != 0) {
                    into.merge(String.format("io %s 0x%x", dir == 1 ? "out" : "in", port), n, Long::sum);
                }
            }
        }
        mmio.forEach((k, c) -> into.merge(String.format("mmio %s 0x%x", (k & 1) != 0 ? "write" : "read",
                k & ~0xfffL), c[0], Long::sum));
        counts.forEach((k, c) -> into.merge(k, c[0], Long::sum));
    }
}
