package org.hyperport.common.console;

import java.nio.file.Path;
import org.hyperport.api.HyperportException;

/** Builds a {@link Console} from the command line's {@code --console} value. */
public final class Consoles {

    /** The accepted forms, for help texts. */
    public static final String SYNTAX = "stdio | file:PATH | socket:PORT | none";

    private Consoles() {
    }

    /**
     * {@code stdio} (the terminal), {@code file:PATH} (output only), {@code socket:PORT} (a TCP server on 127.0.0.1;
     * 0 picks a free port) or {@code none} (output discarded, no input). Anything else is a
     * {@link HyperportException#BAD_INPUT} error, raised before any console is opened.
     */
    public static Console parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            throw bad(spec);
        }
        if (spec.equals("stdio")) {
            return new StdioConsole();
        }
        if (spec.equals("none")) {
            return none();
        }
        if (spec.startsWith("file:")) {
            String path = spec.substring("file:".length());
            if (path.isEmpty()) {
                throw bad(spec);
            }
            return new FileConsole(Path.of(path));
        }
        if (spec.startsWith("socket:")) {
            return new SocketConsole(port(spec, spec.substring("socket:".length())));
        }
        throw bad(spec);
    }

    /** A console that discards output and never has input. */
    public static Console none() {
        return new NullConsole();
    }

    private static int port(String spec, String text) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw bad(spec);
        }
        if (port < 0 || port > 65535) {
            throw bad(spec);
        }
        return port;
    }

    private static HyperportException bad(String spec) {
        return HyperportException.badInput("bad console '" + spec + "': expected " + SYNTAX);
    }

    private static final class NullConsole implements Console {

        @Override
        public void write(int b) {
        }

        @Override
        public void flush() {
        }

        @Override
        public int poll() {
            return -1;
        }

        @Override
        public void onInput(Runnable listener) {
        }

        @Override
        public void close() {
        }
    }
}
