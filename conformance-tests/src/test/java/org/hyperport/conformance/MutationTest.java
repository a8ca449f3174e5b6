package org.hyperport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperport.api.Availability;
import org.hyperport.api.BootImage;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.CpuState;
import org.hyperport.api.Engine;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.HostInfo;
import org.hyperport.api.InterruptController;
import org.hyperport.api.Machine;
import org.hyperport.api.MachineSpec;
import org.hyperport.api.Mmu;
import org.hyperport.api.Vcpu;
import org.hyperport.api.VcpuExit;
import org.hyperport.api.VmConfig;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.common.loader.ElfBuilder;
import org.hyperport.common.vm.Architectures;
import org.hyperport.x86.kvm.X86KvmEngine;
import org.hyperport.x86.kvm.X86KvmMachine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof that the suite can fail: a mutated x86 backend that gets the carry flag wrong must be caught, both by the
 * guest's own flag check and by differential comparison of the recorded CPU states against the real engine.
 *
 * <p>The mutant wraps the KVM engine and inverts RFLAGS.CF whenever the guest records its state, which is exactly
 * what an engine with a wrong CF computation for the preceding {@code add} would leave behind.
 */
class MutationTest {

    static final int LOAD = 0x100000;
    static final int CODE = LOAD + 12;

    /** 32-bit code: 0xffffffff + 1 (CF=PF=AF=ZF=1), record state (tag 0x1234), check flags == 0x55, exit. */
    static byte[] flagsGuest() {
        int[] code = {
            0xBC, 0x00, 0x00, 0x20, 0x00,       // mov esp, 0x200000 (Multiboot gives no stack)
            0xB8, 0xFF, 0xFF, 0xFF, 0xFF,       // mov eax, 0xffffffff
            0x83, 0xC0, 0x01,                   // add eax, 1
            0xB8, 0x34, 0x12, 0x00, 0x00,       // mov eax, 0x1234 (flags unchanged)
            0xE7, 0xF8,                         // out 0xf8, eax: record state
            0x9C,                               // pushfd
            0x59,                               // pop ecx
            0x81, 0xE1, 0xD5, 0x08, 0x00, 0x00, // and ecx, CF|PF|AF|ZF|SF|OF
            0x83, 0xF9, 0x55,                   // cmp ecx, 0x55
            0x75, 0x05,                         // jne fail
            0x31, 0xC0,                         // xor eax, eax
            0xE7, 0xF4,                         // out 0xf4, eax: status 0
            0xF4,                               // hlt
            0xB8, 0x01, 0x00, 0x00, 0x00,       // fail: mov eax, 1
            0xE7, 0xF4,                         // out 0xf4, eax: status 1
            0xF4,                               // hlt
        };
        ByteBuffer seg = ByteBuffer.allocate(12 + code.length).order(ByteOrder.LITTLE_ENDIAN);
        seg.putInt(0x1BADB002).putInt(0).putInt(-0x1BADB002);
        for (int b : code) {
            seg.put((byte) b);
        }
        return new ElfBuilder(false, ByteOrder.LITTLE_ENDIAN, 3).entry(CODE).load(LOAD, LOAD, seg.array(),
                seg.capacity()).build();
    }

    /** The KVM engine with a carry-flag bug injected. */
    static final class CarryFlipEngine implements EngineProvider {
        private final X86KvmEngine real = new X86KvmEngine();

        @Override
        public Engine engine() {
            return Engine.KVM;
        }

        @Override
        public String requirement() {
            return real.requirement();
        }

        @Override
        public Availability probe(HostInfo host) {
            return real.probe(host);
        }

        @Override
        public List<Module> modules(VmConfig config) {
            return List.of(new AbstractModule() {
                @Override
                protected void configure() {
                    bind(Machine.class).to(CarryFlipMachine.class);
                }
            });
        }
    }

    static final class CarryFlipMachine implements Machine {
        private final X86KvmMachine inner;
        private final List<Vcpu> vcpus;

        @Inject
        CarryFlipMachine(X86KvmMachine inner) {
            this.inner = inner;
            this.vcpus = inner.vcpus().stream().<Vcpu>map(CarryFlipVcpu::new).toList();
        }

        @Override
        public MachineSpec spec() {
            return inner.spec();
        }

        @Override
        public GuestMemory memory() {
            return inner.memory();
        }

        @Override
        public InterruptController interruptController() {
            return inner.interruptController();
        }

        @Override
        public List<? extends Vcpu> vcpus() {
            return vcpus;
        }

        @Override
        public void boot(BootImage image) {
            inner.boot(image);
        }

        @Override
        public void handle(VcpuExit.PortIo io) {
            inner.handle(io);
        }

        @Override
        public void handle(VcpuExit.Mmio mmio) {
            inner.handle(mmio);
        }

        @Override
        public Map<String, Long> stats() {
            return inner.stats();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    record CarryFlipVcpu(Vcpu inner) implements Vcpu {
        @Override
        public int index() {
            return inner.index();
        }

        @Override
        public VcpuExit run() {
            VcpuExit e = inner.run();
            if (e instanceof VcpuExit.PortIo io && io.isWrite() && io.port() == 0xf8) {
                CpuSnapshot s = inner.state().snapshot();
                LinkedHashMap<String, BigInteger> v = new LinkedHashMap<>(s.values());
                v.put("rflags", s.get("rflags").flipBit(0));
                inner.state().restore(new CpuSnapshot(s.architecture(), v, s.layout()));
            }
            return e;
        }

        @Override
        public void kick() {
            inner.kick();
        }

        @Override
        public CpuState state() {
            return inner.state();
        }

        @Override
        public Mmu mmu() {
            return inner.mmu();
        }

        @Override
        public String describeLocation() {
            return inner.describeLocation();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    static ConformanceKit kit;

    @BeforeAll
    static void needsKvm() {
        Availability a = new X86KvmEngine().probe(new PosixHostInfo());
        assumeTrue(a.usable(), "KVM engine unusable here: " + a.reason());
        kit = new ConformanceKit(new PosixHostInfo());
    }

    @Test
    void theRealEngineComputesTheFlagsTheGuestExpects() throws InterruptedException {
        GuestRun r = kit.runGuest(Architectures.discover().byName("x86_64"), new X86KvmEngine(), "flags",
                flagsGuest());

        assertEquals(0, r.outcome().status(), r.toString());
        assertEquals(1, r.records().size());
        assertEquals(0x55, r.records().getFirst().state().getLong("rflags") & 0x8d5);
    }

    @Test
    void theGuestsOwnCheckCatchesTheMutant() throws InterruptedException {
        GuestRun r = kit.runGuest(Architectures.discover().byName("x86_64"), new CarryFlipEngine(), "flags",
                flagsGuest());

        assertEquals(1, r.outcome().status(), r.toString());
    }

    @Test
    void differentialModeNamesRflagsAsTheFirstDifference() throws InterruptedException {
        // With the same ending, the recorded states alone must expose the mutant.
        GuestRun good = kit.runGuest(Architectures.discover().byName("x86_64"), new X86KvmEngine(), "flags",
                flagsGuest());
        GuestRun bad = kit.runGuest(Architectures.discover().byName("x86_64"), new CarryFlipEngine(), "flags",
                flagsGuest());
        GuestRun badButSameEnding = new GuestRun(good.outcome(), good.console(), bad.records());

        Optional<String> d = good.firstDifference(badButSameEnding, "kvm", "mutant");

        assertTrue(d.isPresent());
        assertTrue(d.get().startsWith("record 0 (tag 0x1234): rflags: 0x"), d.get());
        assertEquals("exit status 0 (kvm) != 1 (mutant)", good.firstDifference(bad, "kvm", "mutant").orElseThrow());
    }
}
