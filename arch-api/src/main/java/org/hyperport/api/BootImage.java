package org.hyperport.api;

import java.util.Optional;

/**
 * What to boot: the kernel or bare-metal image bytes, an optional initrd, and the command line.
 *
 * @param name    file name or embedded-guest name, for messages
 * @param kernel  image bytes
 * @param initrd  initial RAM disk bytes
 * @param cmdline kernel command line (may be empty)
 */
public record BootImage(String name, byte[] kernel, Optional<byte[]> initrd, String cmdline) {
}
