package org.hyperport.x86.timer;

import java.util.Arrays;

/**
 * The deadlines of a machine's timer devices, in {@link VirtualClock} nanoseconds, for an engine that polls between
 * instruction blocks:
 * <pre>{@code
 * long now = clock.nanos();
 * if (now >= timers.nextDeadline()) {
 *     timers.runExpired(now);
 * }
 * }</pre>
 * A halted vCPU sleeps until {@link #nextDeadline()} or until woken; {@link #setWakeup} tells it when a new deadline
 * becomes the earliest.
 *
 * <p>Each device creates its {@link Timer}s once, when it is built, and then {@link Timer#schedule schedules} and
 * {@link Timer#cancel cancels} them; the queue holds at most one entry per timer. After construction nothing here
 * allocates: {@link #nextDeadline()} is one volatile read, and {@link #runExpired} pops entries from a binary heap
 * sized for every timer. The queue is thread-safe. Callbacks run on the polling thread with no lock of the queue
 * held, so they may take device locks and schedule timers; a device may schedule while holding its own lock.
 *
 * <p>A callback receives the poll's {@code now}, which may be later than the deadline if the engine polled late. A
 * periodic device computes its next deadline after {@code now} itself, which coalesces ticks missed while the host
 * was busy, as interrupt requests latch in the PIC and APIC anyway. A timer that a callback re-schedules at or before
 * {@code now} runs again at the next poll, never twice in one.
 */
public final class TimerQueue {

    /** {@link #nextDeadline()} when nothing is scheduled. */
    public static final long NEVER = Long.MAX_VALUE;

    /** What a timer does when its deadline passes. */
    @FunctionalInterface
    public interface Callback {

        /** Called once per expiry, from {@link #runExpired}, with the poll's time (not before the deadline). */
        void expired(long now);
    }

    /** A device's handle on one deadline; scheduling again moves it. */
    public final class Timer {

        private final String name;
        private final Callback callback;
        private long deadline = NEVER;
        private long sequence;
        private long pass = -1;
        private int index = -1;

        private Timer(String name, Callback callback) {
            this.name = name;
            this.callback = callback;
        }

        /** Arms the timer for virtual time {@code deadline}, replacing any earlier arming. {@link #NEVER} cancels. */
        public void schedule(long deadline) {
            TimerQueue.this.schedule(this, deadline);
        }

        public void cancel() {
            TimerQueue.this.cancel(this);
        }

        public boolean armed() {
            synchronized (TimerQueue.this) {
                return index >= 0;
            }
        }

        /** The armed deadline, or {@link #NEVER}. */
        public long deadline() {
            synchronized (TimerQueue.this) {
                return index >= 0 ? deadline : NEVER;
            }
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name + "@" + deadline();
        }
    }

    private final VirtualClock clock;
    private Timer[] heap = new Timer[8];
    private int size;
    private int created;
    private long sequence;
    private long pass;
    private volatile long next = NEVER;
    private volatile Runnable wakeup = () -> { };

    public TimerQueue(VirtualClock clock) {
        this.clock = clock;
    }

    public VirtualClock clock() {
        return clock;
    }

    /** {@code clock().nanos()}. */
    public long now() {
        return clock.nanos();
    }

    /** Creates a timer; devices do this while they are built. */
    public synchronized Timer timer(String name, Callback callback) {
        created++;
        if (heap.length < created) {
            heap = Arrays.copyOf(heap, created * 2);
        }
        return new Timer(name, callback);
    }

    /**
     * Sets what runs when a new deadline becomes the earliest (for example, unpark a halted vCPU so it re-computes
     * its sleep). It runs with the queue's lock held: it must not call back into the queue.
     */
    public void setWakeup(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    /** The earliest armed deadline, or {@link #NEVER}; lock-free. */
    public long nextDeadline() {
        return next;
    }

    /** Runs every timer whose deadline is at or before {@code now}, earliest first (ties in scheduling order). */
    public void runExpired(long now) {
        long thisPass;
        synchronized (this) {
            thisPass = ++pass;
        }
        while (true) {
            Timer t;
            synchronized (this) {
                if (size == 0) {
                    return;
                }
                t = heap[0];
                if (t.deadline > now || t.pass == thisPass) {
                    return;
                }
                removeAt(0);
                t.pass = thisPass;
                next = size == 0 ? NEVER : heap[0].deadline;
            }
            t.callback.expired(now);
        }
    }

    /** {@link #runExpired(long)} at the clock's current time. */
    public void runExpired() {
        runExpired(clock.nanos());
    }

    private synchronized void schedule(Timer t, long deadline) {
        if (deadline == NEVER) {
            cancel(t);
            return;
        }
        long before = next;
        t.deadline = deadline;
        t.sequence = sequence++;
        if (t.index < 0) {
            t.index = size;
            heap[size++] = t;
            siftUp(t.index);
        } else {
            siftUp(t.index);
            siftDown(t.index);
        }
        next = heap[0].deadline;
        if (next < before) {
            wakeup.run();
        }
    }

    private synchronized void cancel(Timer t) {
        if (t.index >= 0) {
            removeAt(t.index);
            next = size == 0 ? NEVER : heap[0].deadline;
        }
    }

    private void removeAt(int i) {
        Timer removed = heap[i];
        removed.index = -1;
        size--;
        Timer moved = heap[size];
        heap[size] = null;
        if (i != size) {
            heap[i] = moved;
            moved.index = i;
            siftUp(i);
            siftDown(moved.index);
        }
    }

    private static boolean before(Timer a, Timer b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.sequence < b.sequence);
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(t, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            heap[i].index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
