package org.hyperport.common.console;

/**
 * The host side of a guest serial line: a byte sink for the guest's output and a non-blocking byte source for its
 * input. A UART writes transmitted bytes with {@link #write(int)} and drains received ones with {@link #poll()};
 * {@link #onInput} tells it when to look, so it can raise its receive interrupt without polling.
 *
 * <p>Implementations are thread-safe: vCPU threads write and poll while the console's own reader thread queues input.
 * None of them may keep the JVM from exiting (their threads are daemons).
 */
public interface Console extends AutoCloseable {

    /** Sends one byte (the low 8 bits of {@code b}) towards the user. Never blocks for long. */
    void write(int b);

    /** Sends {@code len} bytes of {@code bytes} from {@code offset}. */
    default void write(byte[] bytes, int offset, int len) {
        for (int i = 0; i < len; i++) {
            write(bytes[offset + i]);
        }
    }

    /** Pushes buffered output to its destination. */
    void flush();

    /** The next input byte (0-255), or -1 if none is waiting. Never blocks. */
    int poll();

    /**
     * Registers the one listener that is run, on the console's reader thread, after new input bytes were queued.
     * A later call replaces the earlier listener. The listener should drain what it can with {@link #poll()}; bytes it
     * leaves stay queued (and hold back the reader once the queue is full).
     */
    void onInput(Runnable listener);

    /** Flushes output, stops accepting input and restores whatever the console changed (e.g. terminal modes). */
    @Override
    void close();
}
