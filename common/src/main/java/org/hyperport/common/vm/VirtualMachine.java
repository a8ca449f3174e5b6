package org.hyperport.common.vm;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperport.api.BootImage;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.HyperportException;
import org.hyperport.api.Machine;
import org.hyperport.api.StateRecord;
import org.hyperport.api.Vcpu;
import org.hyperport.api.VcpuExit;
import org.hyperport.api.VmConfig;
import org.hyperport.api.VmControl;
import org.hyperport.common.console.Console;

/**
 * The VM core: builds the machine through the engine's Guice modules, runs one platform thread per vCPU, and ends
 * with the first outcome any vCPU or device reports. Lifecycle: {@link #create} → {@link #boot} → {@link #run} (or
 * {@link #start} + {@link #await}) → {@link #close}. {@link #pause}/{@link #resume} stop and restart every vCPU
 * between exits.
 *
 * <p>A watchdog kicks any vCPU that has not exited for {@value #WATCHDOG_MS} ms, so an engine can report a vCPU that
 * halted with no way to wake (x86 {@code cli; hlt} under an in-kernel irqchip never leaves {@code KVM_RUN} by itself).
 */
public final class VirtualMachine implements AutoCloseable {

    static final long WATCHDOG_MS = 500;

    private final VmConfig config;
    private final Machine machine;
    private final Control control = new Control();
    private final List<Thread> threads = new ArrayList<>();
    private final long[] lastExit;
    private final boolean[] haltedFlags;
    private final boolean[] inRun;
    private final ExitStats[] stats;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicInteger halted = new AtomicInteger();
    private final Object pauseLock = new Object();
    private final AtomicInteger exited = new AtomicInteger();
    private volatile boolean paused;
    /** vCPU threads waiting in {@link #waitWhilePaused()}; guarded by {@code pauseLock}. */
    private int parked;
    private Thread watchdog;
    private final List<StateRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Tag of a pending state-record request made during the current exit on this vCPU thread; -1 if none. */
    private static final ThreadLocal<long[]> PENDING_RECORD = ThreadLocal.withInitial(() -> new long[] {-1});

    private VirtualMachine(VmConfig config, EngineProvider engine, Console console) {
        this.config = config;
        List<Module> modules = new ArrayList<>(engine.modules(config));
        modules.add(new AbstractModule() {
            @Override
            protected void configure() {
                bind(VmConfig.class).toInstance(config);
                bind(VmControl.class).toInstance(control);
                bind(Console.class).toInstance(console);
            }
        });
        Injector injector;
        try {
            injector = Guice.createInjector(Stage.PRODUCTION, modules);
        } catch (com.google.inject.CreationException | com.google.inject.ProvisionException e) {
            throw unwrap(e);
        }
        try {
            this.machine = injector.getInstance(Machine.class);
        } catch (com.google.inject.ProvisionException e) {
            throw unwrap(e);
        }
        int n = machine.vcpus().size();
        this.lastExit = new long[n];
        this.haltedFlags = new boolean[n];
        this.inRun = new boolean[n];
        this.stats = new ExitStats[n];
    }

    /**
     * Guice wraps what constructors throw; surface a {@link HyperportException} as itself. Guice's own message
     * formatting is avoided: it reads class files with an ASM too old for this JDK.
     */
    private static RuntimeException unwrap(RuntimeException e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HyperportException h) {
                return h;
            }
            root = t;
        }
        if (e instanceof com.google.inject.ProvisionException p && !p.getErrorMessages().isEmpty()
                && p.getErrorMessages().iterator().next().getCause() != null) {
            root = p.getErrorMessages().iterator().next().getCause();
            for (Throwable t = root; t != null; t = t.getCause()) {
                if (t instanceof HyperportException h) {
                    return h;
                }
                root = t;
            }
        }
        return new HyperportException(HyperportException.INTERNAL, "cannot build the machine: " + root, root);
    }

    /** Builds the machine for {@code config} on {@code engine}. */
    public static VirtualMachine create(VmConfig config, EngineProvider engine, Console console) {
        return new VirtualMachine(config, engine, console);
    }

    public Machine machine() {
        return machine;
    }

    public VmControl control() {
        return control;
    }

    public void boot(BootImage image) {
        machine.boot(image);
    }

    /** Starts the vCPU threads. */
    public void start() {
        for (Vcpu v : machine.vcpus()) {
            Thread t = Thread.ofPlatform().name("vcpu-" + v.index()).daemon(true).unstarted(() -> loop(v));
            threads.add(t);
        }
        threads.forEach(Thread::start);
        watchdog = Thread.ofPlatform().name("vcpu-watchdog").daemon(true).start(this::watch);
    }

    /** Waits for the outcome, at most {@code timeoutMs} (0 = forever); on timeout ends the VM itself. */
    public VmOutcome await(long timeoutMs) throws InterruptedException {
        boolean timedOut = false;
        if (timeoutMs > 0) {
            if (!done.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                timedOut = control.end(new VmOutcome(HyperportException.GUEST_CRASH,
                        "guest did not finish within " + timeoutMs + " ms (--timeout)", ""));
            }
        } else {
            done.await();
        }
        stopAll();
        VmOutcome o = control.outcome.get();
        if (timedOut) {
            // The vCPU threads have left run(), so their state can be read from here.
            StringBuilder where = new StringBuilder();
            for (Vcpu v : machine.vcpus()) {
                where.append(v.describeLocation()).append('\n');
            }
            o = new VmOutcome(o.status(), o.message(), where.toString());
        }
        return o;
    }

    /** {@link #start()} then {@link #await}. */
    public VmOutcome run(long timeoutMs) throws InterruptedException {
        start();
        return await(timeoutMs);
    }

    /**
     * Stops every vCPU between exits and returns once each has stopped (or ended), so that their state can be
     * read from this thread. Returns false if they did not all stop within {@code timeoutMs}.
     */
    public boolean pause(long timeoutMs) throws InterruptedException {
        paused = true;
        machine.vcpus().forEach(Vcpu::kick);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        synchronized (pauseLock) {
            while (parked + exited.get() < threads.size() && !control.stopping()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                pauseLock.wait(Math.max(1, left / 1_000_000L));
            }
        }
        return true;
    }

    public void resume() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    /** Exit counts summed over vCPUs (empty unless {@link VmConfig#collectStats()}). */
    public Map<String, Long> stats() {
        Map<String, Long> m = new TreeMap<>();
        for (ExitStats s : stats) {
            if (s != null) {
                s.mergeInto(m);
            }
        }
        m.putAll(machine.stats());
        return m;
    }

    /** The states the guest asked to record, in order. */
    public List<StateRecord> records() {
        return List.copyOf(records);
    }

    private void loop(Vcpu v) {
        int i = v.index();
        ExitStats st = config.collectStats() ? new ExitStats() : null;
        stats[i] = st;
        long[] pendingRecord = PENDING_RECORD.get();
        try {
            while (!control.stopping()) {
                inRun[i] = true;
                VcpuExit e = v.run();
                inRun[i] = false;
                lastExit[i] = System.nanoTime();
                if (st != null) {
                    st.count(e);
                }
                switch (e) {
                    case VcpuExit.PortIo io -> {
                        machine.handle(io);
                        recordIfAsked(v, pendingRecord);
                    }
                    case VcpuExit.Mmio m -> {
                        machine.handle(m);
                        recordIfAsked(v, pendingRecord);
                    }
                    case VcpuExit.Stopped s -> waitWhilePaused();
                    case VcpuExit.Halted h -> {
                        haltedFlags[i] = true;
                        halted.incrementAndGet(); // publishes the flag to the watchdog, which reads halted first
                        checkAllStopped(h.detail());
                        return;
                    }
                    case VcpuExit.Shutdown s -> {
                        control.end(crash(v, "guest " + s.detail()));
                        return;
                    }
                    case VcpuExit.EngineFailure f -> {
                        control.end(crash(v, f.detail()));
                        return;
                    }
                }
            }
        } catch (HyperportException ex) {
            control.end(new VmOutcome(ex.exitStatus(), "vcpu " + i + ": " + ex.getMessage(), ""));
        } catch (RuntimeException | Error ex) {
            control.end(new VmOutcome(HyperportException.INTERNAL, "vcpu " + i + ": internal error: " + ex,
                    System.getenv("HYPERPORT_DEBUG") != null ? stack(ex) : ""));
        } finally {
            inRun[i] = false;
            exited.incrementAndGet();
            synchronized (pauseLock) {
                pauseLock.notifyAll();
            }
        }
    }

    /** Powers off once every vCPU is halted for good or dormant (never started by the guest). */
    private void checkAllStopped(String detail) {
        if (halted.get() == 0) {
            return;
        }
        List<? extends Vcpu> vcpus = machine.vcpus();
        for (int k = 0; k < vcpus.size(); k++) {
            if (!haltedFlags[k] && !vcpus.get(k).dormant()) {
                return;
            }
        }
        control.powerOff("all vCPUs halted or dormant (" + detail + ")");
    }

    private void recordIfAsked(Vcpu v, long[] pending) {
        if (pending[0] != -1) {
            synchronized (records) {
                records.add(new StateRecord(v.index(), records.size(), pending[0], v.state().snapshot()));
            }
            pending[0] = -1;
        }
    }

    private static String stack(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    private VmOutcome crash(Vcpu v, String what) {
        String where = v.describeLocation();
        String dump;
        try {
            dump = v.state().snapshot().format();
        } catch (RuntimeException e) {
            dump = "(CPU state unavailable: " + e.getMessage() + ")\n";
        }
        return new VmOutcome(HyperportException.GUEST_CRASH, what + "; " + where, dump);
    }

    private void waitWhilePaused() {
        synchronized (pauseLock) {
            if (!paused) {
                return;
            }
            parked++;
            pauseLock.notifyAll();
            try {
                while (paused && !control.stopping()) {
                    pauseLock.wait(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                parked--;
            }
        }
    }

    private void watch() {
        List<? extends Vcpu> vcpus = machine.vcpus();
        while (!control.stopping()) {
            try {
                Thread.sleep(WATCHDOG_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (int i = 0; i < vcpus.size(); i++) {
                if (inRun[i] && now - lastExit[i] > WATCHDOG_MS * 1_000_000L) {
                    vcpus.get(i).kick();
                }
            }
            checkAllStopped("watchdog");
        }
    }

    private void stopAll() {
        machine.vcpus().forEach(Vcpu::kick);
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                machine.vcpus().forEach(Vcpu::kick);
            }
        }
        if (watchdog != null) {
            watchdog.interrupt();
            // The watchdog kicks vCPUs; it must be gone before close() unmaps their shared run structures.
            if (watchdog != Thread.currentThread()) {
                try {
                    watchdog.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public void close() {
        stopAll();
        machine.close();
    }

    private final class Control implements VmControl {
        final AtomicReference<VmOutcome> outcome = new AtomicReference<>();

        /** Records the outcome if none was recorded yet; returns whether this call did. */
        boolean end(VmOutcome o) {
            if (outcome.compareAndSet(null, o)) {
                // Kick before releasing the waiter: once done is counted down, close() may unmap what kick() writes.
                for (Vcpu v : machine == null ? List.<Vcpu>of() : machine.vcpus()) {
                    v.kick();
                }
                done.countDown();
                return true;
            }
            return false;
        }

        @Override
        public void guestExit(int status, String how) {
            end(new VmOutcome(status & 0xff, "", ""));
        }

        @Override
        public void powerOff(String how) {
            end(new VmOutcome(0, "", ""));
        }

        @Override
        public void reset(String how) {
            end(new VmOutcome(0, "guest requested a reset (" + how + "); hyperport does not reboot", ""));
        }

        @Override
        public void crash(String diagnosis) {
            end(new VmOutcome(HyperportException.GUEST_CRASH, diagnosis, ""));
        }

        @Override
        public void recordState(long tag) {
            PENDING_RECORD.get()[0] = tag & 0xffffffffL;
        }

        @Override
        public boolean stopping() {
            return outcome.get() != null;
        }
    }
}
