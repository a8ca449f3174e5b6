package org.hyperport.x86.kvm;

import org.hyperport.x86.cpu.X86CpuState;

import java.util.Optional;
import org.hyperport.api.BootImage;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.Engine;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.VmConfig;
import org.hyperport.common.console.CapturingConsole;
import org.hyperport.common.vm.VirtualMachine;
import org.hyperport.x86.X86Architecture;
import org.hyperport.x86.interp.X86InterpVcpu;
import org.hyperport.x86.interp.X86InterpreterEngine;

/** The interpreter under test, in the {@link LockstepRig} guest, stepped with {@link X86InterpVcpu#stepInstruction()}. */
final class InterpStepper implements AutoCloseable {

    private final VirtualMachine vm;
    private final GuestMemory memory;
    private final X86InterpVcpu vcpu;

    InterpStepper() throws Exception {
        VmConfig c = new VmConfig("x86_64", Engine.INTERPRETER, 16L << 20, 1, Optional.empty(), Optional.empty(), "",
                false);
        vm = VirtualMachine.create(c, new X86InterpreterEngine(), new CapturingConsole());
        byte[] guest = new X86Architecture().embeddedGuest().orElseThrow().load();
        vm.boot(new BootImage("g", guest, Optional.empty(), ""));
        memory = vm.machine().memory();
        LockstepRig.writeTables(memory);
        vcpu = (X86InterpVcpu) vm.machine().vcpus().getFirst();
    }

    StepOracle.Outcome step(CpuSnapshot before, byte[] code, byte[] data) {
        memory.writeBytes(LockstepRig.IP, code);
        memory.writeBytes(LockstepRig.IP + code.length, LockstepRig.TRAILER);
        memory.writeBytes(LockstepRig.DATA, data);
        vcpu.state().restore(before);
        // Debug registers are not part of the snapshot: back to their reset values, as QEMU's reset gives them.
        System.arraycopy(new X86CpuState().dr, 0, vcpu.registers().dr, 0, 8);
        vcpu.stepInstruction();
        return read(data.length);
    }

    /** One more instruction (the oracle also ran the exception handler's first one). */
    StepOracle.Outcome stepAgain(int dataLength) {
        vcpu.stepInstruction();
        return read(dataLength);
    }

    private StepOracle.Outcome read(int n) {
        byte[] out = new byte[n];
        memory.readBytes(LockstepRig.DATA, out, 0, n);
        return new StepOracle.Outcome(vcpu.state().snapshot(), out, null);
    }

    @Override
    public void close() throws Exception {
        vm.close();
    }
}
