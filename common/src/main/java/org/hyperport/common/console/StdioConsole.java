package org.hyperport.common.console;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The process's standard streams as the guest's serial line. Output is buffered and written at each newline, when
 * the buffer fills, and at the latest {@value #PAUSE_MILLIS} ms after the first unwritten byte, so a prompt without a
 * newline still shows. Input is read on a daemon thread into a bounded queue; when that is full the reader waits.
 *
 * <p>When standard input is a terminal it is switched to raw input (see {@link Terminal#enterRawMode}: no line
 * editing or echo, but Ctrl-C still signals hyperport) and restored by {@link #close()} or, failing that, by a
 * shutdown hook. When it is not a terminal it is left alone.
 */
public final class StdioConsole implements Console {

    static final int PAUSE_MILLIS = 10;
    private static final int OUTPUT_BUFFER = 8192;
    private static final int INPUT_QUEUE = 4096;
    private static final int STDIN_FD = 0;

    private final OutputStream out;
    private final byte[] outBuf = new byte[OUTPUT_BUFFER];
    private int outLen;
    private boolean outBroken;
    private boolean closed;

    private final ByteQueue input = new ByteQueue(INPUT_QUEUE);
    private volatile Runnable listener = () -> { };
    private final byte[] savedTermios;
    private final Thread restoreHook;

    /** Standard input and output of this process; raw mode if standard input is a terminal. */
    public StdioConsole() {
        this(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                Terminal.isatty(STDIN_FD));
    }

    /** Arbitrary streams, for tests and embedding; {@code rawTerminal} switches file descriptor 0 to raw mode. */
    StdioConsole(InputStream in, OutputStream out, boolean rawTerminal) {
        this.out = out;
        this.savedTermios = rawTerminal ? Terminal.enterRawMode(STDIN_FD) : null;
        if (savedTermios != null) {
            restoreHook = new Thread(() -> Terminal.restore(STDIN_FD, savedTermios), "hyperport-tty-restore");
            Runtime.getRuntime().addShutdownHook(restoreHook);
        } else {
            restoreHook = null;
        }
        Thread reader = new Thread(() -> readLoop(in), "hyperport-console-stdin");
        reader.setDaemon(true);
        reader.start();
        Thread flusher = new Thread(this::flushLoop, "hyperport-console-flush");
        flusher.setDaemon(true);
        flusher.start();
    }

    /** Whether the terminal was switched to raw mode (and will be restored). */
    public boolean rawMode() {
        return savedTermios != null;
    }

    @Override
    public synchronized void write(int b) {
        if (outLen == 0) {
            notifyAll();
        }
        outBuf[outLen++] = (byte) b;
        if (b == '\n' || outLen == outBuf.length) {
            flushLocked();
        }
    }

    @Override
    public synchronized void flush() {
        flushLocked();
    }

    private void flushLocked() {
        if (outLen == 0) {
            return;
        }
        if (!outBroken) {
            try {
                out.write(outBuf, 0, outLen);
                out.flush();
            } catch (IOException e) {
                outBroken = true;
            }
        }
        outLen = 0;
    }

    /** Writes out whatever has waited {@value #PAUSE_MILLIS} ms. */
    private synchronized void flushLoop() {
        try {
            while (!closed) {
                if (outLen == 0) {
                    wait();
                    continue;
                }
                long deadline = System.nanoTime() + PAUSE_MILLIS * 1_000_000L;
                long left;
                while (outLen > 0 && !closed && (left = deadline - System.nanoTime()) > 0) {
                    wait(Math.max(1, left / 1_000_000L));
                }
                flushLocked();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readLoop(InputStream in) {
        try {
            input.pump(in, () -> listener);
        } catch (IOException e) {
            // End of input: the guest simply receives nothing more.
        }
    }

    @Override
    public int poll() {
        return input.poll();
    }

    @Override
    public void onInput(Runnable listener) {
        this.listener = listener;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            flushLocked();
            closed = true;
            notifyAll();
        }
        input.close();
        if (savedTermios != null) {
            Terminal.restore(STDIN_FD, savedTermios);
            try {
                Runtime.getRuntime().removeShutdownHook(restoreHook);
            } catch (IllegalStateException e) {
                // Already shutting down; the hook restores the same attributes again, harmlessly.
            }
        }
    }
}
