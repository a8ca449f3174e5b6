package org.hyperport.common.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hyperport.api.HyperportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsolesTest {

    @TempDir
    Path dir;

    @Test
    void noneDiscardsOutputAndHasNoInput() {
        Console console = Consoles.parse("none");

        console.write('x');

        assertEquals(-1, console.poll());
    }

    @Test
    void fileSpecWritesToThatFile() throws Exception {
        Path file = dir.resolve("out.txt");
        Console console = Consoles.parse("file:" + file);

        console.write('o');
        console.write('k');
        console.close();

        assertInstanceOf(FileConsole.class, console);
        assertEquals("ok", Files.readString(file));
    }

    @Test
    void socketSpecListensOnTheLoopback() {
        Console console = Consoles.parse("socket:0");

        assertInstanceOf(SocketConsole.class, console);
        console.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "STDIO", "tty", "file:", "socket:", "socket:http", "socket:-1", "socket:65536",
            "none:"})
    void badSpecsAreBadInput(String spec) {
        HyperportException e = assertThrows(HyperportException.class, () -> Consoles.parse(spec));

        assertEquals(HyperportException.BAD_INPUT, e.exitStatus());
    }

    @Test
    void unwritableFileIsBadInput() {
        String spec = "file:" + dir.resolve("missing-dir").resolve("out.txt");

        HyperportException e = assertThrows(HyperportException.class, () -> Consoles.parse(spec));

        assertEquals(HyperportException.BAD_INPUT, e.exitStatus());
    }
}
