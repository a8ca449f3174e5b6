package org.hyperport.x86;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hyperport.api.Architecture;
import org.hyperport.api.EmbeddedGuest;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.MachineSpec;
import org.hyperport.api.VmConfig;
import org.hyperport.x86.interp.X86InterpreterEngine;
import org.hyperport.x86.kvm.X86KvmEngine;
import org.hyperport.x86.machine.X86Board;

/** x86-64: KVM first, then the interpreter. */
public final class X86Architecture implements Architecture {

    private static final List<EngineProvider> ENGINES = List.of(new X86KvmEngine(), new X86InterpreterEngine());

    @Override
    public String id() {
        return "x86_64";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("x86-64", "amd64", "x64", "x86");
    }

    @Override
    public String description() {
        return "Intel 64 / AMD64; QEMU microvm/pc-style board";
    }

    @Override
    public ByteOrder byteOrder() {
        return ByteOrder.LITTLE_ENDIAN;
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
        return X86Board.describe(config);
    }

    @Override
    public Optional<EmbeddedGuest> embeddedGuest() {
        return Optional.of(new EmbeddedGuest("x86_64 default guest", "machine/default-guest.elf",
                X86Architecture.class));
    }
}
