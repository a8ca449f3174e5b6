package org.hyperport.common.console;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hyperport.api.HyperportException;

/** Guest output appended to a file (created or truncated), written at each newline; the guest gets no input. */
public final class FileConsole implements Console {

    private final Path path;
    private final OutputStream out;
    private boolean broken;

    public FileConsole(Path path) {
        this.path = path;
        try {
            this.out = new BufferedOutputStream(Files.newOutputStream(path));
        } catch (IOException e) {
            throw HyperportException.badInput("cannot open console file " + path + ": " + e.getMessage());
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public synchronized void write(int b) {
        if (broken) {
            return;
        }
        try {
            out.write(b);
            if (b == '\n') {
                out.flush();
            }
        } catch (IOException e) {
            broken = true;
        }
    }

    @Override
    public synchronized void flush() {
        if (broken) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            broken = true;
        }
    }

    @Override
    public int poll() {
        return -1;
    }

    @Override
    public void onInput(Runnable listener) {
        // No input ever arrives.
    }

    @Override
    public synchronized void close() {
        flush();
        try {
            out.close();
        } catch (IOException e) {
            broken = true;
        }
        broken = true;
    }
}
