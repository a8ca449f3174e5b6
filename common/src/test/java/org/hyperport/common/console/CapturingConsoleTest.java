package org.hyperport.common.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CapturingConsoleTest {

    private final CapturingConsole console = new CapturingConsole();

    private void print(String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            console.write(b);
        }
    }

    @Test
    void outputIsCaptured() {
        print("hello\n");

        assertEquals("hello\n", console.outputText());
    }

    @Test
    void feedQueuesInputAndRunsTheListenerOnTheCallingThread() {
        AtomicInteger calls = new AtomicInteger();
        console.onInput(calls::incrementAndGet);

        console.feed("ok");

        assertEquals(1, calls.get());
        assertEquals('o', console.poll());
        assertEquals('k', console.poll());
        assertEquals(-1, console.poll());
    }

    @Test
    void scriptedInputIsReleasedWhenTheOutputReachesItsTrigger() throws Exception {
        CountDownLatch told = new CountDownLatch(1);
        console.onInput(told::countDown);
        console.feedWhen("login: ", "root\r");
        print("host login");
        int beforeTrigger = console.pendingInput();

        print(": ");

        assertEquals(0, beforeTrigger);
        assertTrue(told.await(5, TimeUnit.SECONDS));
        assertEquals(5, console.pendingInput());
    }

    @Test
    void scriptStepsFireInOrder() {
        console.feedWhen("# ", "a");
        console.feedWhen("# ", "b");

        print("# ");
        int afterFirst = console.pendingInput();
        print("# ");

        assertEquals(1, afterFirst);
        assertEquals('a', console.poll());
        assertEquals('b', console.poll());
    }

    @Test
    void awaitOutputSeesTextWrittenByAnotherThread() throws Exception {
        Thread.ofPlatform().daemon().start(() -> print("tick 1\ndone\n"));

        boolean seen = console.awaitOutput("done", Duration.ofSeconds(5));

        assertTrue(seen);
    }

    @Test
    void awaitOutputTimesOut() throws Exception {
        print("nothing");

        boolean seen = console.awaitOutput("something", Duration.ofMillis(50));

        assertFalse(seen);
    }
}
