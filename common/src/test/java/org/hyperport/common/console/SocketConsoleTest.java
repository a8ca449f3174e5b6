package org.hyperport.common.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class SocketConsoleTest {

    private final SocketConsole console = new SocketConsole(0);

    @AfterEach
    void closeConsole() {
        console.close();
    }

    private Socket connect() throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), console.port());
        s.setSoTimeout(5000);
        return s;
    }

    private static byte[] readExactly(InputStream in, int n) throws Exception {
        return in.readNBytes(n);
    }

    private static void write(Console console, String text) {
        for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
            console.write(b);
        }
    }

    @Test
    void outputBeforeTheClientConnectsIsDeliveredOnConnect() throws Exception {
        write(console, "boot\n");

        try (Socket client = connect()) {
            byte[] got = readExactly(client.getInputStream(), 5);

            assertEquals("boot\n", new String(got, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void outputAfterConnectFlowsToTheClient() throws Exception {
        try (Socket client = connect()) {
            write(console, "x");
            byte[] first = readExactly(client.getInputStream(), 1);
            write(console, "yz");

            byte[] rest = readExactly(client.getInputStream(), 2);

            assertEquals("x", new String(first, StandardCharsets.US_ASCII));
            assertEquals("yz", new String(rest, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void clientBytesBecomeInputAndTellTheListener() throws Exception {
        CountDownLatch told = new CountDownLatch(2);
        console.onInput(told::countDown);

        try (Socket client = connect()) {
            client.getOutputStream().write('k');
            client.getOutputStream().flush();
            Thread.sleep(50);
            client.getOutputStream().write('!');
            client.getOutputStream().flush();

            assertTrue(told.await(5, TimeUnit.SECONDS));
            assertEquals('k', console.poll());
            assertEquals('!', console.poll());
            assertEquals(-1, console.poll());
        }
    }

    @Test
    void pendingOutputBeyondTheLimitDropsTheOldestBytes() throws Exception {
        byte[] tail = new byte[SocketConsole.OUTPUT_LIMIT];
        Arrays.fill(tail, (byte) 'n');
        write(console, "OLD");
        console.write(tail, 0, tail.length);

        try (Socket client = connect()) {
            byte[] got = readExactly(client.getInputStream(), SocketConsole.OUTPUT_LIMIT);

            assertArrayEquals(tail, got);
            assertEquals(3, console.droppedBytes());
        }
    }

    @Test
    void aNewClientIsAcceptedAfterTheFirstLeaves() throws Exception {
        try (Socket first = connect()) {
            write(console, "1");
            readExactly(first.getInputStream(), 1);
        }
        // Output written before the console has seen the first client leave would go to that dead connection, as
        // with any TCP peer; wait until it has (the acceptor sees end-of-stream), however loaded the machine is.
        for (int k = 0; k < 500 && console.connected(); k++) {
            Thread.sleep(10);
        }
        assertFalse(console.connected(), "the console did not notice the first client leaving");

        try (Socket second = connect()) {
            write(console, "2");
            byte[] got = readExactly(second.getInputStream(), 1);

            assertEquals("2", new String(got, StandardCharsets.US_ASCII));
        }
    }
}
