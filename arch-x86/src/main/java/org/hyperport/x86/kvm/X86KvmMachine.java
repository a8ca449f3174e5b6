package org.hyperport.x86.kvm;

import jakarta.inject.Inject;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.BootImage;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.InterruptController;
import org.hyperport.api.Machine;
import org.hyperport.api.MachineSpec;
import org.hyperport.api.VcpuExit;
import org.hyperport.api.VmConfig;
import org.hyperport.api.VmControl;
import org.hyperport.common.console.Console;
import org.hyperport.common.kvm.Kvm;
import org.hyperport.common.kvm.KvmVm;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.common.posix.Posix;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.intc.KvmIrqchip;
import org.hyperport.x86.machine.X86Board;
import org.hyperport.x86.machine.X86EntryState;

/**
 * The x86 board on KVM: one VM with the in-kernel irqchip and PIT, guest RAM as memory slots, CPUID from
 * {@code KVM_GET_SUPPORTED_CPUID} with per-vCPU APIC ids, and the vCPUs. Application processors start in KVM's
 * wait-for-SIPI state, so the guest brings them up with INIT/SIPI as on hardware.
 */
public final class X86KvmMachine implements Machine {

    private final Kvm kvm;
    private final KvmVm vm;
    private final RamGuestMemory memory;
    private final KvmIrqchip irqchip;
    private final X86Board board;
    private final List<X86KvmVcpu> vcpus = new ArrayList<>();

    @Inject
    public X86KvmMachine(VmConfig config, VmControl control, Console console) {
        X86Board.checkMemory(config);
        Kvm k = Kvm.open();
        KvmVm v = null;
        RamGuestMemory mem = null;
        try {
            v = k.createVm();
            v.ioctl(X86KvmIoctl.KVM_SET_TSS_ADDR, X86KvmIoctl.TSS_ADDR, "KVM_SET_TSS_ADDR");
            try (Arena a = Arena.ofConfined()) {
                MemorySegment addr = a.allocate(ValueLayout.JAVA_LONG);
                addr.set(ValueLayout.JAVA_LONG, 0, X86KvmIoctl.IDENTITY_MAP_ADDR);
                v.ioctl(X86KvmIoctl.KVM_SET_IDENTITY_MAP_ADDR, addr, "KVM_SET_IDENTITY_MAP_ADDR");
                v.createIrqchip();
                MemorySegment pit = a.allocate(64, 8);
                v.ioctl(X86KvmIoctl.KVM_CREATE_PIT2, pit, "KVM_CREATE_PIT2");
            }
            mem = RamGuestMemory.map(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN,
                    X86Board.ramLayout(config.memoryBytes()));
            int slot = 0;
            for (RamGuestMemory.Region r : mem.regions()) {
                v.setUserMemoryRegion(slot++, r.gpa(), r.host());
            }
            this.irqchip = new KvmIrqchip(v);
            this.board = new X86Board(config, control, console, mem, irqchip);
            MemorySegment cpuid = supportedCpuid(k);
            for (int i = 0; i < config.smp(); i++) {
                X86KvmVcpu vcpu = new X86KvmVcpu(v.createVcpu(i), mem);
                setCpuid(vcpu, cpuid, i);
                vcpus.add(vcpu);
            }
        } catch (RuntimeException e) {
            vcpus.forEach(X86KvmVcpu::close);
            if (mem != null) {
                mem.close();
            }
            if (v != null) {
                v.close();
            }
            k.close();
            throw e;
        }
        this.kvm = k;
        this.vm = v;
        this.memory = mem;
    }

    /** {@code KVM_GET_SUPPORTED_CPUID}, growing the buffer while the kernel answers E2BIG. */
    private static MemorySegment supportedCpuid(Kvm kvm) {
        for (int n = 128; ; n *= 2) {
            MemorySegment s = Arena.ofAuto().allocate(8 + (long) n * X86KvmIoctl.SIZEOF_CPUID_ENTRY, 8);
            s.set(ValueLayout.JAVA_INT, 0, n);
            int r = Posix.ioctl(kvm.fd(), X86KvmIoctl.KVM_GET_SUPPORTED_CPUID, s);
            if (r >= 0) {
                return s;
            }
            if (Posix.errno() != 7 || n > 4096) { // E2BIG
                Posix.check(r, "KVM_GET_SUPPORTED_CPUID");
            }
        }
    }

    /** Installs the supported CPUID with this vCPU's initial APIC id in leaf 1 EBX[31:24] and leaves 0xB/0x1F EDX. */
    private static void setCpuid(X86KvmVcpu vcpu, MemorySegment supported, int apicId) {
        int n = supported.get(ValueLayout.JAVA_INT, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(supported.byteSize(), 8);
            s.copyFrom(supported);
            for (int i = 0; i < n; i++) {
                long e = 8 + (long) i * X86KvmIoctl.SIZEOF_CPUID_ENTRY;
                int function = s.get(ValueLayout.JAVA_INT, e);
                if (function == 1) {
                    int ebx = s.get(ValueLayout.JAVA_INT, e + 16);
                    s.set(ValueLayout.JAVA_INT, e + 16, (ebx & 0x00ffffff) | (apicId << 24));
                } else if (function == 0xB || function == 0x1F) {
                    s.set(ValueLayout.JAVA_INT, e + 28, apicId);
                }
            }
            vcpu.fd().ioctl(X86KvmIoctl.KVM_SET_CPUID2, s, "KVM_SET_CPUID2");
        }
    }

    /** The KVM VM, for engine-level features such as ioeventfd. */
    KvmVm kvmVm() {
        return vm;
    }

    @Override
    public MachineSpec spec() {
        return board.spec();
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public InterruptController interruptController() {
        return irqchip;
    }

    @Override
    public List<X86KvmVcpu> vcpus() {
        return vcpus;
    }

    @Override
    public void boot(BootImage image) {
        X86EntryState entry = board.load(image);
        X86CpuState s = new X86CpuState();
        s.enter(entry);
        vcpus.getFirst().load(s);
    }

    @Override
    public void handle(VcpuExit.PortIo io) {
        board.handle(io);
    }

    @Override
    public void handle(VcpuExit.Mmio mmio) {
        board.handle(mmio);
    }

    @Override
    public void close() {
        vcpus.forEach(X86KvmVcpu::close);
        vm.close();
        memory.close();
        kvm.close();
    }
}
