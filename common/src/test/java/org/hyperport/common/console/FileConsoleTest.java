package org.hyperport.common.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileConsoleTest {

    @TempDir
    Path dir;

    @Test
    void linesReachTheFileAsTheyEnd() throws Exception {
        Path file = dir.resolve("console.log");
        FileConsole console = new FileConsole(file);

        console.write('a');
        console.write('\n');
        console.write('b');

        assertEquals("a\n", Files.readString(file));
        console.close();
        assertEquals("a\nb", Files.readString(file));
    }

    @Test
    void thereIsNoInput() {
        FileConsole console = new FileConsole(dir.resolve("x"));

        int b = console.poll();

        assertEquals(-1, b);
        console.close();
    }
}
