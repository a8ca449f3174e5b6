package org.hyperport.conformance.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a gzip-compressed cpio archive in the "newc" format ({@code 070701}) that the Linux kernel unpacks as an
 * initramfs (Documentation/driver-api/early-userspace/buffer-format.rst): a 110-byte ASCII header per entry, the name
 * NUL-terminated and padded to 4 bytes, the data padded to 4 bytes, and a {@code TRAILER!!!} entry at the end.
 */
public final class Cpio {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int inode = 1;
    private boolean finished;

    public Cpio directory(String path) {
        return entry(path, 0040755, new byte[0]);
    }

    public Cpio file(String path, int mode, byte[] data) {
        return entry(path, 0100000 | mode, data);
    }

    private Cpio entry(String path, int mode, byte[] data) {
        if (finished) {
            throw new IllegalStateException("archive already finished");
        }
        byte[] name = (path + "\0").getBytes(StandardCharsets.US_ASCII);
        String header = String.format("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", inode++, mode,
                0, 0, 1, 0, data.length, 0, 0, 0, 0, name.length, 0);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(name);
        pad();
        out.writeBytes(data);
        pad();
        return this;
    }

    private void pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }

    /** The archive, terminated and gzip-compressed. */
    public byte[] toGzip() {
        if (!finished) {
            entry("TRAILER!!!", 0, new byte[0]);
            finished = true;
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            out.writeTo(z);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gz.toByteArray();
    }
}
