package org.hyperport.s390.interp;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.hyperport.api.AddressSpace;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.s390.cpu.S390CpuState;

/**
 * One CPU on plain storage with a fake platform, for instruction tests: load bytes, set registers, step, look.
 * DAT off, 64-bit mode, key 0, supervisor state; program and SVC new PSWs point at a disabled wait at 0xfff so a
 * test sees the interruption code in the lowcore and the CPU stops.
 */
public final class S390TestCpu implements S390Platform {

    public static final long CODE = 0x10000;
    public static final long WAIT_ADDR = 0xfff0;
    public static final long PSW_64 = S390CpuState.PSW_EA | S390CpuState.PSW_BA;

    public final S390CpuState cpu = new S390CpuState();
    public final RamGuestMemory ram;
    public final StorageKeys keys;
    public final S390Interpreter c;
    public long tod = 0x1000_0000_0000L;
    public final List<String> calls = new ArrayList<>();

    public S390TestCpu() {
        this(1 << 20);
    }

    public S390TestCpu(long size) {
        ram = RamGuestMemory.allocate(AddressSpace.ABSOLUTE, ByteOrder.BIG_ENDIAN, 0, size);
        keys = new StorageKeys(size);
        c = new S390Interpreter(cpu, ram, keys, this, 0, S390Semantics.build(S390Semantics.groups()));
        cpu.initialReset();
        cpu.setPsw(PSW_64, CODE);
        // New PSWs: disabled wait (wait bit, 64-bit) at WAIT_ADDR, so an interruption stops the CPU.
        long waitMask = PSW_64 | S390CpuState.PSW_WAIT;
        for (int off : new int[] {S390Interpreter.LC_PGM_NEW, S390Interpreter.LC_SVC_NEW,
                S390Interpreter.LC_EXT_NEW, S390Interpreter.LC_IO_NEW, S390Interpreter.LC_MCHK_NEW,
                S390Interpreter.LC_RESTART_NEW}) {
            ram.write64(off, waitMask);
            ram.write64(off + 8, WAIT_ADDR);
        }
    }

    /** Writes hex bytes ("a7f4 0008 ...", spaces ignored) at {@code addr}. */
    public S390TestCpu load(long addr, String hex) {
        String h = hex.replace(" ", "");
        for (int k = 0; k < h.length(); k += 2) {
            ram.write8(addr + k / 2, Integer.parseInt(h.substring(k, k + 2), 16));
        }
        return this;
    }

    /** Steps until the CPU waits or {@code max} steps; returns the steps taken. */
    public int run(int max) {
        int n = 0;
        while (n < max && c.step()) {
            n++;
        }
        return n;
    }

    public int programCode() {
        return ram.read16(S390Interpreter.LC_PGM_CODE) & 0xffff;
    }

    public int programIlc() {
        return (ram.read16(S390Interpreter.LC_PGM_ILC) & 0xffff) >> 1;
    }

    public long programOldAddr() {
        return ram.read64(S390Interpreter.LC_PGM_OLD + 8);
    }

    public boolean waiting() {
        return (cpu.pswMask & S390CpuState.PSW_WAIT) != 0;
    }

    @Override
    public int serviceCall(S390Interpreter cpu, int command, long sccbReal) {
        calls.add(String.format("servc %08x %x", command, sccbReal));
        return 0;
    }

    @Override
    public int signalProcessor(S390Interpreter cpu, int order, int address, long parameter, int r1) {
        calls.add(String.format("sigp %d %d %x", order, address, parameter));
        return 0;
    }

    @Override
    public void diagnose(S390Interpreter cpu, int code, int r1, int r3) {
        calls.add(String.format("diag %x %d %d", code, r1, r3));
    }

    @Override
    public void purgeTlbs(S390Interpreter source) {
        calls.add("purge");
    }

    @Override
    public long tod() {
        return tod;
    }
}
