package org.hyperport.common.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Module;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hyperport.api.Architecture;
import org.hyperport.api.Availability;
import org.hyperport.api.EmbeddedGuest;
import org.hyperport.api.Engine;
import org.hyperport.api.EngineChoice;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.HostInfo;
import org.hyperport.api.HyperportException;
import org.hyperport.api.MachineSpec;
import org.hyperport.api.VmConfig;
import org.junit.jupiter.api.Test;

class EngineSelectorTest {

    record FakeHost(String machine, KvmAccess kvm) implements HostInfo {}

    /** Usable exactly when the host's /dev/kvm is. */
    record FakeEngine(Engine engine, boolean needsKvm) implements EngineProvider {
        @Override
        public String requirement() {
            return needsKvm ? "kvm" : "any host";
        }

        @Override
        public Availability probe(HostInfo host) {
            return !needsKvm || host.kvm().usable() ? Availability.usable("ok")
                    : Availability.unusable(host.kvm().detail());
        }

        @Override
        public List<Module> modules(VmConfig config) {
            return List.of();
        }
    }

    record FakeArch(List<EngineProvider> engines) implements Architecture {
        @Override
        public String id() {
            return "toy64";
        }

        @Override
        public Set<String> aliases() {
            return Set.of("toy");
        }

        @Override
        public String description() {
            return "toy";
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
        public MachineSpec machine(VmConfig config) {
            return new MachineSpec("toy", "none", List.of(), List.of(), "none");
        }

        @Override
        public Optional<EmbeddedGuest> embeddedGuest() {
            return Optional.empty();
        }
    }

    static final HostInfo NO_PERMISSION = new FakeHost("x86_64",
            new HostInfo.KvmAccess(HostInfo.KvmAccess.Status.NO_PERMISSION, "permission denied on /dev/kvm"));
    static final HostInfo KVM_OK = new FakeHost("x86_64",
            new HostInfo.KvmAccess(HostInfo.KvmAccess.Status.USABLE, "/dev/kvm"));

    final EngineProvider kvm = new FakeEngine(Engine.KVM, true);
    final EngineProvider interp = new FakeEngine(Engine.INTERPRETER, false);
    final Architecture arch = new FakeArch(List.of(kvm, interp));

    @Test
    void autoPrefersKvmWhenUsable() {
        assertSame(kvm, EngineSelector.select(arch, EngineChoice.AUTO, KVM_OK));
    }

    @Test
    void autoFallsBackToTheInterpreter() {
        assertSame(interp, EngineSelector.select(arch, EngineChoice.AUTO, NO_PERMISSION));
    }

    @Test
    void explicitKvmOnAHostWithoutPermissionSaysWhy() {
        HyperportException e = assertThrows(HyperportException.class,
                () -> EngineSelector.select(arch, EngineChoice.KVM, NO_PERMISSION));

        assertEquals(HyperportException.ENGINE_UNAVAILABLE, e.exitStatus());
        assertTrue(e.getMessage().contains("permission denied on /dev/kvm"), e.getMessage());
    }

    @Test
    void autoWithNothingUsableListsEveryReason() {
        Architecture kvmOnly = new FakeArch(List.of(kvm));

        HyperportException e = assertThrows(HyperportException.class,
                () -> EngineSelector.select(kvmOnly, EngineChoice.AUTO, NO_PERMISSION));

        assertTrue(e.getMessage().contains("kvm: permission denied"), e.getMessage());
    }

    @Test
    void anArchitectureIsFoundByAliasAndUnknownNamesListTheValidOnes() {
        Architectures all = new Architectures(List.of(arch));

        assertSame(arch, all.byName("TOY"));
        HyperportException e = assertThrows(HyperportException.class, () -> all.byName("vax"));
        assertEquals(HyperportException.BAD_INPUT, e.exitStatus());
        assertTrue(e.getMessage().contains("valid: toy64"), e.getMessage());
    }

    @Test
    void badEngineNamesAreBadInput() {
        HyperportException e = assertThrows(HyperportException.class, () -> EngineChoice.parse("jit"));

        assertEquals(HyperportException.BAD_INPUT, e.exitStatus());
    }
}
