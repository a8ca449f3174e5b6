package org.hyperport.api;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.function.Predicate;

/**
 * An architecture-neutral dump of one vCPU: named registers in layout order, each an unsigned value of its width.
 * Snapshots are what the conformance suite compares between engines and what {@link CpuState#restore} accepts.
 */
public record CpuSnapshot(String architecture, SequencedMap<String, BigInteger> values,
                          Map<String, RegisterDesc> layout) {

    public CpuSnapshot {
        values = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(values));
        layout = Map.copyOf(layout);
    }

    public BigInteger get(String name) {
        BigInteger v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException(architecture + " has no register " + name);
        }
        return v;
    }

    public long getLong(String name) {
        return get(name).longValue();
    }

    private static final BigInteger MASK64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** A register that differs between two snapshots. */
    public record Difference(String register, BigInteger left, BigInteger right) {
        @Override
        public String toString() {
            return register + ": 0x" + left.toString(16) + " != 0x" + right.toString(16);
        }
    }

    /** The first register, in layout order, whose value differs from {@code other} among those {@code compared}. */
    public Optional<Difference> firstDifference(CpuSnapshot other, Predicate<RegisterDesc> compared) {
        if (!architecture.equals(other.architecture)) {
            throw new IllegalArgumentException("cannot compare " + architecture + " with " + other.architecture);
        }
        for (var e : values.entrySet()) {
            RegisterDesc d = layout.get(e.getKey());
            if (d != null && !compared.test(d)) {
                continue;
            }
            BigInteger theirs = other.values.get(e.getKey());
            BigInteger mine = e.getValue();
            if (d != null && d.unstableBits() != 0 && theirs != null) {
                BigInteger keep = BigInteger.valueOf(d.unstableBits()).and(MASK64).not();
                mine = mine.and(keep);
                theirs = theirs.and(keep);
            }
            if (!mine.equals(theirs)) {
                return Optional.of(new Difference(e.getKey(), e.getValue(),
                        other.values.getOrDefault(e.getKey(), BigInteger.ZERO)));
            }
        }
        return Optional.empty();
    }

    /** Dump as {@code name=hex} lines, four per row, in layout order. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (var e : values.entrySet()) {
            int bits = layout.containsKey(e.getKey()) ? layout.get(e.getKey()).bits() : 64;
            String hex = e.getValue().toString(16);
            int digits = Math.max(1, (bits + 3) / 4);
            String padded = "0".repeat(Math.max(0, digits - hex.length())) + hex;
            sb.append(String.format("%-8s %s", e.getKey(), padded));
            if (++col % 4 == 0) {
                sb.append('\n');
            } else {
                sb.append("  ");
            }
        }
        if (col % 4 != 0) {
            sb.setLength(sb.length() - 2);
            sb.append('\n');
        }
        return sb.toString();
    }
}
