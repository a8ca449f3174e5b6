package org.hyperport.common.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StdioConsoleTest {

    /** An output stream whose contents can be read while another thread writes. */
    private static final class SyncBuffer extends ByteArrayOutputStream {
        @Override
        public synchronized String toString() {
            return toString(StandardCharsets.US_ASCII);
        }
    }

    private static InputStream silentInput() throws Exception {
        return new PipedInputStream(new PipedOutputStream());
    }

    @Test
    void newlineWritesTheLineAtOnce() throws Exception {
        SyncBuffer out = new SyncBuffer();
        StdioConsole console = new StdioConsole(silentInput(), out, false);

        console.write('a');
        console.write('\n');

        assertEquals("a\n", out.toString());
        assertFalse(console.rawMode());
    }

    @Test
    void flushWritesAPartialLine() throws Exception {
        SyncBuffer out = new SyncBuffer();
        StdioConsole console = new StdioConsole(silentInput(), out, false);

        console.write('$');
        console.flush();

        assertEquals("$", out.toString());
    }

    @Test
    void partialLineAppearsAfterAPause() throws Exception {
        SyncBuffer out = new SyncBuffer();
        StdioConsole console = new StdioConsole(silentInput(), out, false);

        console.write('#');
        Thread.sleep(StdioConsole.PAUSE_MILLIS * 20L);

        assertEquals("#", out.toString());
        console.close();
    }

    @Test
    void inputIsQueuedAndTheListenerIsTold() throws Exception {
        CountDownLatch told = new CountDownLatch(1);
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keyboard);
        StdioConsole console = new StdioConsole(in, new SyncBuffer(), false);
        console.onInput(told::countDown);

        keyboard.write("hi".getBytes(StandardCharsets.US_ASCII));
        keyboard.flush();

        assertTrue(told.await(5, TimeUnit.SECONDS));
        assertEquals('h', console.poll());
        assertEquals('i', console.poll());
        assertEquals(-1, console.poll());
    }

    @Test
    void endOfInputLeavesPollEmpty() throws Exception {
        StdioConsole console = new StdioConsole(new ByteArrayInputStream(new byte[0]), new SyncBuffer(), false);

        int b = console.poll();

        assertEquals(-1, b);
        console.close();
    }
}
