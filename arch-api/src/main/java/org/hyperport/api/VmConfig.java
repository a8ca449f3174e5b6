package org.hyperport.api;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything the user chose for one VM. Validated by the launcher before any backend sees it.
 *
 * @param architecture the architecture id (canonical)
 * @param engine       the resolved engine (never {@code auto} here)
 * @param memoryBytes  guest RAM size
 * @param smp          number of vCPUs, at least 1
 * @param kernel       kernel or bare-metal image; empty to boot the embedded guest
 * @param initrd       initial RAM disk, only with a kernel
 * @param append       kernel command line
 * @param collectStats count exits by reason and report them at the end
 */
public record VmConfig(String architecture, Engine engine, long memoryBytes, int smp, Optional<Path> kernel,
                       Optional<Path> initrd, String append, boolean collectStats) {

    public VmConfig {
        if (smp < 1) {
            throw HyperportException.badInput("--smp must be at least 1");
        }
        if (memoryBytes <= 0) {
            throw HyperportException.badInput("--memory must be positive");
        }
        if (initrd.isPresent() && kernel.isEmpty()) {
            throw HyperportException.badInput("--initrd needs --kernel");
        }
        append = append == null ? "" : append;
    }
}
