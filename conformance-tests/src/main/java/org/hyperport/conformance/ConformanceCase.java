package org.hyperport.conformance;

import java.util.Optional;

/**
 * One conformance case for one architecture.
 *
 * @param arch        architecture id
 * @param name        case name, unique per architecture ({@code l1-flags-add}, {@code crc32})
 * @param level       what it proves
 * @param kind        {@code c} (shared C program), {@code asm} (architecture test), {@code spi} (host-side check of an
 *                    SPI contract) or {@code linux}
 * @param description one line
 * @param body        what to run
 */
public record ConformanceCase(String arch, String name, Level level, String kind, String description, Body body) {

    /** What a case runs. */
    public sealed interface Body {}

    /**
     * A guest binary that reports through the test ABI: it passes when it exits with status 0 and, if
     * {@code expected} is present, its console output equals it exactly.
     */
    public record Guest(String resource, Optional<String> expected) implements Body {}

    /** A check run on the host against a live machine; it throws {@link AssertionError} on failure. */
    public record HostCheck(Check check) implements Body {}

    /** The body of a {@link HostCheck}. */
    @FunctionalInterface
    public interface Check {
        void run(CaseContext context) throws Exception;
    }

    public String id() {
        return arch + "/" + name;
    }
}
