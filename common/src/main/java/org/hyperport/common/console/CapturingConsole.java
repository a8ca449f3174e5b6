package org.hyperport.common.console;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;

/**
 * An in-memory console for tests and the conformance suite: it keeps every output byte, and gives the guest input
 * that the test supplies either at once ({@link #feed}) or when the guest's output reaches a trigger
 * ({@link #feedWhen}, e.g. answering a shell prompt). Input supplied by {@code feed} notifies the listener on the
 * calling thread; input released by a trigger notifies it on a daemon thread, so a UART is never re-entered from
 * inside its own transmit path.
 */
public final class CapturingConsole implements Console {

    private byte[] out = new byte[4096];
    private int outLen;
    private final ArrayDeque<Byte> input = new ArrayDeque<>();
    private final Queue<Step> script = new ArrayDeque<>();
    private volatile Runnable listener = () -> { };
    private int flushes;

    private record Step(byte[] trigger, byte[] input) {
    }

    @Override
    public void write(int b) {
        Step fired = null;
        synchronized (this) {
            if (outLen == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[outLen++] = (byte) b;
            Step next = script.peek();
            if (next != null && endsWith(next.trigger)) {
                fired = script.remove();
                queue(fired.input);
            }
            notifyAll();
        }
        if (fired != null) {
            Thread t = new Thread(listener, "hyperport-console-script");
            t.setDaemon(true);
            t.start();
        }
    }

    private boolean endsWith(byte[] suffix) {
        if (suffix.length > outLen) {
            return false;
        }
        return Arrays.equals(out, outLen - suffix.length, outLen, suffix, 0, suffix.length);
    }

    @Override
    public synchronized void flush() {
        flushes++;
    }

    @Override
    public synchronized int poll() {
        Byte b = input.poll();
        return b == null ? -1 : b & 0xFF;
    }

    @Override
    public void onInput(Runnable listener) {
        this.listener = listener;
    }

    @Override
    public void close() {
    }

    /** Queues {@code bytes} as input and runs the listener on this thread. */
    public void feed(byte[] bytes) {
        synchronized (this) {
            queue(bytes);
        }
        listener.run();
    }

    /** {@link #feed(byte[])} with the UTF-8 bytes of {@code text}. */
    public void feed(String text) {
        feed(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Queues {@code text} as input once the output ends with {@code trigger}. Steps fire in the order they were
     * added, each only on output written after the previous step fired.
     */
    public synchronized void feedWhen(String trigger, String text) {
        script.add(new Step(trigger.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8)));
    }

    private void queue(byte[] bytes) {
        for (byte b : bytes) {
            input.add(b);
        }
    }

    /** Everything written so far. */
    public synchronized byte[] output() {
        return Arrays.copyOf(out, outLen);
    }

    /** Everything written so far, decoded as UTF-8. */
    public synchronized String outputText() {
        return new String(out, 0, outLen, StandardCharsets.UTF_8);
    }

    /** How many times {@link #flush()} was called. */
    public synchronized int flushCount() {
        return flushes;
    }

    /** Number of input bytes not yet polled. */
    public synchronized int pendingInput() {
        return input.size();
    }

    /** Waits until the output contains {@code text} or {@code timeout} passes; returns whether it does. */
    public synchronized boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + timeout.toNanos();
        int from = 0;
        while (true) {
            for (int i = from; i + needle.length <= outLen; i++) {
                if (Arrays.equals(out, i, i + needle.length, needle, 0, needle.length)) {
                    return true;
                }
            }
            from = Math.max(0, outLen - needle.length + 1);
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000L));
        }
    }
}
