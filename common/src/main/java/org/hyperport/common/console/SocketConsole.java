package org.hyperport.common.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.hyperport.api.HyperportException;

/**
 * The guest's serial line on a TCP socket listening on 127.0.0.1 only. One client at a time is served; when it
 * disconnects the console listens again. Output goes through a queue of {@value #OUTPUT_LIMIT} bytes drained by a
 * writer thread, so a vCPU never waits on the network: output produced while no client is connected waits there for
 * the next one, and once the queue is full the oldest bytes are dropped. Input from the client is queued for
 * {@link #poll()} like {@link StdioConsole}'s.
 */
public final class SocketConsole implements Console {

    public static final int OUTPUT_LIMIT = 64 * 1024;
    private static final int INPUT_QUEUE = 4096;
    private static final long FLUSH_WAIT_MILLIS = 1000;

    private final ServerSocket server;
    private final ByteQueue output = new ByteQueue(OUTPUT_LIMIT);
    private final ByteQueue input = new ByteQueue(INPUT_QUEUE);
    private volatile Runnable listener = () -> { };
    private Socket client;
    private volatile boolean closed;
    private long dropped;

    /** Listens on 127.0.0.1:{@code port}; port 0 picks a free one (see {@link #port()}). */
    public SocketConsole(int port) {
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException | IllegalArgumentException e) {
            throw HyperportException.badInput("cannot listen for the console on 127.0.0.1:" + port + ": "
                    + e.getMessage());
        }
        Thread acceptor = new Thread(this::acceptLoop, "hyperport-console-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        Thread writer = new Thread(this::writeLoop, "hyperport-console-send");
        writer.setDaemon(true);
        writer.start();
    }

    /** The port actually listened on. */
    public int port() {
        return server.getLocalPort();
    }

    /** Whether a client is connected now. */
    public synchronized boolean connected() {
        return client != null;
    }

    /** How many output bytes were dropped because the queue was full. */
    public synchronized long droppedBytes() {
        return dropped;
    }

    @Override
    public void write(int b) {
        int lost = output.putDroppingOldest(b);
        if (lost != 0) {
            synchronized (this) {
                dropped += lost;
            }
        }
    }

    /**
     * Waits up to a second until queued output has been taken for sending to the connected client; returns at once
     * if none is connected.
     */
    @Override
    public void flush() {
        if (!connected()) {
            return;
        }
        try {
            output.awaitEmpty(FLUSH_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
                s.setTcpNoDelay(true);
            } catch (IOException e) {
                return;
            }
            synchronized (this) {
                if (closed) {
                    closeQuietly(s);
                    return;
                }
                client = s;
                notifyAll();
            }
            readFrom(s);
            disconnect(s);
        }
    }

    private void readFrom(Socket s) {
        try {
            input.pump(s.getInputStream(), () -> listener);
        } catch (IOException e) {
            // The client went away.
        }
    }

    /**
     * Sends queued output to whichever client is connected. Bytes taken from the queue stay in {@code buf} until a
     * write to a client succeeds: if the client left (or a new one has not been accepted yet) between taking and
     * sending, they go to the next client instead of being lost.
     */
    private void writeLoop() {
        byte[] buf = new byte[4096];
        int pending = 0;
        while (!closed) {
            Socket s;
            synchronized (this) {
                while (client == null && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                s = client;
            }
            if (s == null) {
                return;
            }
            if (pending == 0) {
                int n;
                try {
                    n = output.take(buf, 100);
                } catch (InterruptedException e) {
                    return;
                }
                if (n < 0) {
                    return;
                }
                if (n == 0) {
                    continue;
                }
                pending = n;
            }
            synchronized (this) {
                if (client != s) {
                    continue; // the client changed while take() waited: send to the one connected next
                }
            }
            try {
                OutputStream out = s.getOutputStream();
                out.write(buf, 0, pending);
                out.flush();
                pending = 0;
            } catch (IOException e) {
                disconnect(s);
            }
        }
    }

    private synchronized void disconnect(Socket s) {
        if (client == s) {
            client = null;
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Already gone.
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        synchronized (this) {
            if (client != null) {
                closeQuietly(client);
                client = null;
            }
            notifyAll();
        }
        output.close();
        input.close();
        try {
            server.close();
        } catch (IOException e) {
            // Nothing listens any more either way.
        }
    }
}
