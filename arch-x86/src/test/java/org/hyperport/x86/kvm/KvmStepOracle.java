package org.hyperport.x86.kvm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hyperport.api.BootImage;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.Engine;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.VmConfig;
import org.hyperport.common.console.CapturingConsole;
import org.hyperport.common.kvm.KvmIoctl;
import org.hyperport.common.kvm.KvmRun;
import org.hyperport.common.kvm.KvmVcpuFd;
import org.hyperport.common.vm.VirtualMachine;
import org.hyperport.x86.X86Architecture;
import org.hyperport.x86.cpu.X86CpuState;

/** KVM as the oracle: {@code KVM_SET_GUEST_DEBUG} with single-step, one {@code KVM_RUN} per instruction. */
final class KvmStepOracle implements StepOracle {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kvm-step-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final VirtualMachine vm;
    private final Arena arena = Arena.ofConfined();
    private final GuestMemory memory;
    private final X86KvmVcpu vcpu;
    private long trailerAt;

    KvmStepOracle() throws Exception {
        VmConfig c = new VmConfig("x86_64", Engine.KVM, 16L << 20, 1, Optional.empty(), Optional.empty(), "", false);
        vm = VirtualMachine.create(c, new X86KvmEngine(), new CapturingConsole());
        byte[] guest = new X86Architecture().embeddedGuest().orElseThrow().load();
        vm.boot(new BootImage("g", guest, Optional.empty(), ""));
        memory = vm.machine().memory();
        LockstepRig.writeTables(memory);
        vcpu = (X86KvmVcpu) vm.machine().vcpus().getFirst();
        MemorySegment dbg = arena.allocate(72, 8);
        dbg.set(ValueLayout.JAVA_INT, 0, 1 | 2); // KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP
        vcpu.fd().ioctl(KvmIoctl.KVM_SET_GUEST_DEBUG, dbg, "KVM_SET_GUEST_DEBUG");
    }

    @Override
    public String name() {
        return "KVM";
    }

    @Override
    public Outcome step(CpuSnapshot before, byte[] code, byte[] data) {
        memory.writeBytes(LockstepRig.IP, code);
        memory.writeBytes(LockstepRig.IP + code.length, LockstepRig.TRAILER);
        trailerAt = LockstepRig.IP + code.length;
        memory.writeBytes(LockstepRig.DATA, data);
        vcpu.state().restore(before);
        return resume(data.length);
    }

    @Override
    public Outcome resume(int dataLength) {
        var watchdog = WATCHDOG.schedule(vcpu.fd()::kick, 2, TimeUnit.SECONDS);
        int reason = vcpu.fd().run();
        watchdog.cancel(false);
        if (reason == KvmVcpuFd.INTERRUPTED) {
            return Outcome.notJudged("KVM did not stop within 2 s");
        }
        if (reason == KvmRun.EXIT_MMIO) {
            // kvm_pvm runs CPL3 code natively and drops the single-step trap there; the trailer's store stops
            // the vCPU right after the instruction instead. Read the state, then let KVM finish the store.
            CpuSnapshot after = vcpu.state().snapshot();
            long rip = after.getLong("rip");
            vcpu.fd().kick();
            vcpu.fd().run();
            if (rip == LockstepRig.IP) {
                // e.g. BT with a register bit offset: the operand itself can land in the unbacked page
                return Outcome.notJudged("KVM exit mmio at the instruction itself (its memory operand reached the "
                        + "unbacked page above RAM)");
            }
            if (rip != trailerAt && rip != trailerAt + LockstepRig.TRAILER.length) {
                return Outcome.notJudged("KVM exit mmio away from the trailer (single-step trap lost)");
            }
            X86CpuState s = new X86CpuState();
            s.restore(after);
            s.rip = trailerAt;
            return new Outcome(s.snapshot(), readData(dataLength), null);
        }
        if (reason != KvmRun.EXIT_DEBUG) {
            return Outcome.notJudged("KVM exit " + KvmRun.exitName(reason)
                    + (reason == KvmRun.EXIT_IO ? " (the single-step trap was lost)" : ""));
        }
        return new Outcome(vcpu.state().snapshot(), readData(dataLength), null);
    }

    private byte[] readData(int dataLength) {
        byte[] out = new byte[dataLength];
        memory.readBytes(LockstepRig.DATA, out, 0, out.length);
        return out;
    }

    @Override
    public void close() throws Exception {
        vm.close();
        arena.close();
    }
}
