package org.hyperport.common.console;

/**
 * A bounded FIFO of bytes shared by a producer and a consumer thread. {@link #put} either waits for room
 * (back-pressure, for input that must not be lost) or drops the oldest byte (for output nobody is reading yet).
 */
final class ByteQueue {

    private final byte[] ring;
    private int head;
    private int count;
    private boolean closed;

    ByteQueue(int capacity) {
        ring = new byte[capacity];
    }

    /** Appends {@code b}, waiting for room; returns false if the queue was closed (or the thread interrupted). */
    synchronized boolean putWaiting(int b) {
        while (count == ring.length && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (closed) {
            return false;
        }
        append(b);
        return true;
    }

    /** Appends {@code b} if there is room; returns whether it did. */
    synchronized boolean offer(int b) {
        if (count == ring.length || closed) {
            return false;
        }
        append(b);
        return true;
    }

    /** Appends {@code b}, discarding the oldest byte when full; returns how many bytes were dropped (0 or 1). */
    synchronized int putDroppingOldest(int b) {
        int dropped = 0;
        if (count == ring.length) {
            head = (head + 1) % ring.length;
            count--;
            dropped = 1;
        }
        append(b);
        return dropped;
    }

    private void append(int b) {
        ring[(head + count) % ring.length] = (byte) b;
        count++;
        notifyAll();
    }

    /** Removes and returns the oldest byte, or -1 if empty. */
    synchronized int poll() {
        if (count == 0) {
            return -1;
        }
        int b = ring[head] & 0xFF;
        head = (head + 1) % ring.length;
        count--;
        notifyAll();
        return b;
    }

    /**
     * Waits up to {@code timeoutMillis} for data, then moves up to {@code dst.length} bytes into {@code dst}. Returns
     * the number moved: 0 on timeout, -1 once closed and empty.
     */
    synchronized int take(byte[] dst, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (count == 0 && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            wait(Math.max(1, left / 1_000_000L));
        }
        if (count == 0) {
            return -1;
        }
        int n = Math.min(count, dst.length);
        for (int i = 0; i < n; i++) {
            dst[i] = ring[(head + i) % ring.length];
        }
        head = (head + n) % ring.length;
        count -= n;
        notifyAll();
        return n;
    }

    /** Waits up to {@code timeoutMillis} until the queue is empty; returns whether it is. */
    synchronized boolean awaitEmpty(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (count > 0 && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000L));
        }
        return count == 0;
    }

    synchronized int size() {
        return count;
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * Copies {@code in} into this queue until end of input or {@link #close()}, calling {@code listener} after each
     * read and whenever the queue is full (so the consumer drains it while the reader waits).
     */
    void pump(java.io.InputStream in, java.util.function.Supplier<Runnable> listener) throws java.io.IOException {
        byte[] buf = new byte[256];
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                if (!offer(buf[i])) {
                    listener.get().run();
                    if (!putWaiting(buf[i])) {
                        return;
                    }
                }
            }
            listener.get().run();
        }
    }
}
