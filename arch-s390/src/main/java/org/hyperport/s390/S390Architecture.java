package org.hyperport.s390;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hyperport.api.Architecture;
import org.hyperport.api.EmbeddedGuest;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.MachineSpec;
import org.hyperport.api.VmConfig;
import org.hyperport.s390.interp.S390InterpreterEngine;
import org.hyperport.s390.machine.S390Board;

/** s390x (z/Architecture): the interpreter only; KVM would need an s390 host. */
public final class S390Architecture implements Architecture {

    private static final List<EngineProvider> ENGINES = List.of(new S390InterpreterEngine());

    @Override
    public String id() {
        return "s390x";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("s390", "zarch");
    }

    @Override
    public String description() {
        return "IBM z/Architecture; QEMU s390-ccw-virtio-style board";
    }

    @Override
    public ByteOrder byteOrder() {
        return ByteOrder.BIG_ENDIAN;
    }

    @Override
    public int wordBits() {
        return 64;
    }

    @Override
    public List<EngineProvider> engines() {
        return ENGINES;
    }

    @Override
    public MachineSpec machine(VmConfig config) {
        return S390Board.describe(config);
    }

    @Override
    public Optional<EmbeddedGuest> embeddedGuest() {
        return Optional.of(new EmbeddedGuest("s390x default guest", "machine/default-guest.elf",
                S390Architecture.class));
    }
}
