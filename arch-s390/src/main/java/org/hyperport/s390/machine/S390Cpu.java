package org.hyperport.s390.machine;

import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.S390Interpreter;

/**
 * One CPU of the configuration as the other CPUs see it through SIGNAL PROCESSOR: its CPU address, its state
 * (stopped or operating, PoP Ch. 4 "CPU States") and the orders waiting for its own thread. Orders that change a
 * stopped CPU act at once (its thread is parked and touches nothing); orders that stop or reset an operating CPU are
 * left here and carried out by its thread at the next instruction boundary ({@link #service()}), and the CPU reports
 * busy to further orders until then.
 *
 * <p>Lock: the instance. The owning thread reads {@link #attention} without it on every block.
 */
public final class S390Cpu {

    public enum State { STOPPED, OPERATING }

    /** Requests for the owning thread. */
    static final int REQ_STOP = 1, REQ_STORE_STATUS = 2, REQ_CPU_RESET = 4, REQ_INITIAL_RESET = 8;

    private final int address;
    private final S390Interpreter interp;
    private State state = State.STOPPED;
    private int requests;
    /** The owning thread must call {@link #service()}: requests wait, or its state changed behind its back. */
    public volatile boolean attention;
    private Runnable waker = () -> { };
    private final StatusStore statusStore;

    /** Where STOP AND STORE STATUS stores (absolute 0x1200 and the architecture-mode byte at 0xa3). */
    public interface StatusStore {
        void store(S390Interpreter cpu, long absolute, boolean architectureMode);
    }

    public S390Cpu(int address, S390Interpreter interp, StatusStore statusStore) {
        this.address = address;
        this.interp = interp;
        this.statusStore = statusStore;
    }

    public int address() {
        return address;
    }

    public S390Interpreter interpreter() {
        return interp;
    }

    public S390CpuState registers() {
        return interp.state();
    }

    public synchronized State state() {
        return state;
    }

    public synchronized boolean stopped() {
        return state == State.STOPPED;
    }

    /** Whether orders are waiting for the owning thread (SIGP then answers busy). */
    public synchronized boolean busy() {
        return requests != 0;
    }

    /** Sets who is woken when an order arrives (the vCPU thread's unpark). */
    public void setWaker(Runnable waker) {
        this.waker = waker;
    }

    public void wake() {
        waker.run();
    }

    /** Makes the CPU operating (IPL for CPU 0; SIGP START and RESTART). */
    public synchronized void start() {
        state = State.OPERATING;
        attention = true;
        wake();
    }

    /** Leaves {@code req} for the owning thread. */
    synchronized void request(int req) {
        requests |= req;
        attention = true;
        wake();
    }

    /**
     * On the owning thread: carries out waiting orders (resets, then stop and store status). Returns whether the
     * CPU entered the stopped state here.
     */
    public boolean service() {
        int req;
        boolean stoppedNow = false;
        synchronized (this) {
            attention = false;
            req = requests;
            requests = 0;
            if ((req & (REQ_STOP | REQ_CPU_RESET | REQ_INITIAL_RESET)) != 0 && state != State.STOPPED) {
                state = State.STOPPED;
                stoppedNow = true;
            }
        }
        if ((req & REQ_INITIAL_RESET) != 0) {
            initialReset();
        } else if ((req & REQ_CPU_RESET) != 0) {
            cpuReset();
        }
        if ((req & REQ_STORE_STATUS) != 0) {
            statusStore.store(interp, 0x1200, true);
        }
        interp.flushTlb();
        return stoppedNow;
    }

    /** Initial CPU reset (PoP Ch. 4 "Initial CPU Reset"): CPU reset plus registers, prefix and timers cleared. */
    void initialReset() {
        interp.clearPendingInterruptions();
        interp.state().initialReset();
        interp.flushTlb();
    }

    /**
     * CPU reset (PoP Ch. 4 "CPU Reset"): pending interruptions are cleared; registers, PSW and prefix are kept. The
     * PSW's wait bit is left; the CPU is stopped.
     */
    void cpuReset() {
        interp.clearPendingInterruptions();
        interp.flushTlb();
    }
}
