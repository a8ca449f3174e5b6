package org.hyperport.api;

/**
 * Why {@link Vcpu#run()} returned. Sealed, so the VM core's {@code switch} over it is exhaustive.
 *
 * <p>{@link PortIo} and {@link Mmio} are flyweights owned by the vCPU and reused on every exit; the handler reads the
 * request and, for a read, stores the result with {@code set}. Everything else is an immutable record.
 */
public sealed interface VcpuExit {

    /**
     * An x86 {@code IN}/{@code OUT} (or string form, {@code count} > 1). Architectures: x86-64.
     */
    final class PortIo implements VcpuExit {
        private int port;
        private int size;
        private boolean write;
        private int count;
        private final long[] data;

        public PortIo(int maxCount) {
            this.data = new long[maxCount];
        }

        /** Re-arms the flyweight for a new exit. Engine-side only. */
        public PortIo reset(int port, int size, boolean write, int count) {
            this.port = port;
            this.size = size;
            this.write = write;
            this.count = count;
            return this;
        }

        public int port() { return port; }

        public int size() { return size; }

        public boolean isWrite() { return write; }

        public int count() { return count; }

        public int capacity() { return data.length; }

        /** Element {@code i}: written data for an OUT, the handler's value for an IN. */
        public long get(int i) { return data[i]; }

        public void set(int i, long value) { data[i] = value; }

        @Override
        public String toString() {
            return (write ? "out" : "in") + size + " port 0x" + Integer.toHexString(port) + " x" + count;
        }
    }

    /** A guest access to a physical address that is not RAM. Architectures: all. */
    final class Mmio implements VcpuExit {
        private long gpa;
        private int size;
        private boolean write;
        private long value;

        public Mmio reset(long gpa, int size, boolean write, long value) {
            this.gpa = gpa;
            this.size = size;
            this.write = write;
            this.value = value;
            return this;
        }

        public long gpa() { return gpa; }

        public int size() { return size; }

        public boolean isWrite() { return write; }

        /** The written value, or the value read once the handler has {@link #set} it. */
        public long value() { return value; }

        public void set(long v) { value = v; }

        @Override
        public String toString() {
            return (write ? "write" : "read") + size + " gpa 0x" + Long.toHexString(gpa);
        }
    }

    /** The vCPU halted and nothing can wake it (interrupts masked, or the architecture's "wait with no wake"). */
    record Halted(String detail) implements VcpuExit {}

    /** The vCPU reached an architectural shutdown (x86 triple fault, IA-64 machine check with no handler, ...). */
    record Shutdown(String detail) implements VcpuExit {}

    /** The engine cannot continue (KVM internal error, failed VM entry, unimplemented instruction in strict mode). */
    record EngineFailure(String detail) implements VcpuExit {}

    /** {@link Vcpu#kick()} was called, or a signal interrupted the engine. */
    record Stopped() implements VcpuExit {
        public static final Stopped INSTANCE = new Stopped();
    }
}
