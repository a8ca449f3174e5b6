package org.hyperport.common.kvm;

import java.lang.foreign.MemorySegment;
import org.hyperport.common.posix.Posix;

/**
 * A vCPU file descriptor and its mmap'd {@code kvm_run}: the arch-neutral half of a KVM vCPU. Architecture backends
 * wrap it with their register ioctls and exit decoding.
 *
 * <p>{@link #run()} is the hot path: one ioctl, no allocation. {@link #kick()} makes a concurrent {@code KVM_RUN}
 * return with {@code EINTR} by setting {@code immediate_exit} and signalling the vCPU thread ({@link VcpuSignals}).
 */
public final class KvmVcpuFd implements AutoCloseable {

    /** Returned by {@link #run()} when KVM_RUN was interrupted (EINTR/EAGAIN) rather than exiting. */
    public static final int INTERRUPTED = -1;

    private final int id;
    private final int fd;
    private final MemorySegment run;
    private volatile long thread;
    /** Whether the vCPU thread is inside {@code KVM_RUN}; guarded by this object's lock. */
    private boolean inRun;
    private volatile boolean closed;

    KvmVcpuFd(int id, int fd, MemorySegment run) {
        this.id = id;
        this.fd = fd;
        this.run = run;
    }

    public int id() {
        return id;
    }

    public int fd() {
        return fd;
    }

    /** The shared {@code struct kvm_run}. */
    public MemorySegment kvmRun() {
        return run;
    }

    /** Runs the vCPU; returns the exit reason or {@link #INTERRUPTED}. Other errors throw. */
    public int run() {
        if (thread == 0) {
            thread = Posix.pthreadSelf();
            VcpuSignals.install();
        }
        synchronized (this) {
            inRun = true;
        }
        int r = Posix.ioctl(fd, KvmIoctl.KVM_RUN, 0L);
        synchronized (this) {
            inRun = false;
        }
        if (r < 0) {
            int e = Posix.errno();
            if (e == Posix.EINTR || e == Posix.EAGAIN) {
                KvmRun.setImmediateExit(run, false);
                return INTERRUPTED;
            }
            Posix.check(r, "KVM_RUN");
        }
        return KvmRun.exitReason(run);
    }

    /**
     * Forces the current or next {@link #run()} to return {@link #INTERRUPTED}. Any thread, at any time: after
     * {@link #close()} it does nothing (the run structure is unmapped), and the vCPU thread is signalled only while
     * it is inside {@code KVM_RUN}, so a thread that has finished is never signalled (pthread_kill on an exited
     * thread is undefined and crashed the JVM). Outside {@code KVM_RUN}, {@code immediate_exit} alone makes the
     * next run return at once.
     */
    public synchronized void kick() {
        if (closed) {
            return;
        }
        KvmRun.setImmediateExit(run, true);
        if (inRun) {
            VcpuSignals.kick(thread);
        }
    }

    /** A vCPU ioctl with a pointer argument; throws a {@link org.hyperport.common.posix.PosixException} on failure. */
    public int ioctl(long request, MemorySegment arg, String name) {
        return (int) Posix.check(Posix.ioctl(fd, request, arg), name);
    }

    /** A vCPU ioctl returning the raw result (negative on failure, errno in {@link Posix#errno()}). */
    public int tryIoctl(long request, MemorySegment arg) {
        return Posix.ioctl(fd, request, arg);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Posix.munmap(run);
        Posix.close(fd);
    }
}
