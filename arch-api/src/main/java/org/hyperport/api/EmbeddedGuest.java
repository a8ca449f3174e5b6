package org.hyperport.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A guest image shipped inside the jar as a class-path resource.
 *
 * @param name     short name shown to the user
 * @param resource class-path resource, resolved against {@code anchor}
 * @param anchor   class whose loader and package resolve {@code resource}
 */
public record EmbeddedGuest(String name, String resource, Class<?> anchor) {

    /** Reads the image bytes. */
    public byte[] load() {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new HyperportException(HyperportException.INTERNAL,
                        "embedded guest " + name + " is missing from the jar (" + resource + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
