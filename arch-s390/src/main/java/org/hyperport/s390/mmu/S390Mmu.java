package org.hyperport.s390.mmu;

import org.hyperport.api.Access;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.Mmu;
import org.hyperport.api.Translation;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;

/**
 * The SPI view of one CPU's dynamic address translation (STYLE §7): virtual (logical) to real addresses, through
 * {@link DatWalker} with the ASCE the CPU's translation mode selects. {@link #translate} is what the CPU would do
 * (DAT, DAT protection, instruction-execution protection, low-address protection for stores, the storage-size
 * check after prefixing); {@link #debugTranslate} only walks the tables, for the primary space (home space in the
 * home-space mode), and changes nothing: no TLB, no reference bits, no lowcore. Key-controlled protection is a
 * property of absolute storage, not of the mapping, and is not part of either answer.
 */
public final class S390Mmu implements Mmu {

    private final S390Interpreter cpu;
    private final DatWalker.Result result = new DatWalker.Result();

    public S390Mmu(S390Interpreter cpu) {
        this.cpu = cpu;
    }

    @Override
    public AddressSpace outputSpace() {
        return AddressSpace.REAL;
    }

    @Override
    public Translation translate(long virtual, Access access, int privilege) {
        S390CpuState s = cpu.state();
        long va = virtual & s.addressMask();
        boolean store = access == Access.WRITE;
        int asc = s.asc();
        boolean ifetch = access == Access.EXECUTE;
        int asceId = ifetch ? (asc == S390CpuState.ASC_HOME ? 3 : 0)
                : switch (asc) {
                    case S390CpuState.ASC_SECONDARY -> 2;
                    case S390CpuState.ASC_HOME -> 3;
                    case S390CpuState.ASC_AR -> 1;
                    default -> 0;
                };
        long real = va;
        long pageSize = 4096;
        int perms = Translation.R | Translation.W | Translation.X | (privilege != 0 ? Translation.USER : 0);
        if ((s.pswMask & S390CpuState.PSW_DAT) != 0) {
            DatWalker.Result w;
            synchronized (result) {
                w = cpu.dat().walk(asce(s, asceId), va, (s.cr[0] & S390Interpreter.CR0_EDAT) != 0,
                        (s.cr[0] & S390Interpreter.CR0_IEP) != 0, result);
                if (w.code != 0) {
                    long teid = w.code == DatWalker.ADDRESSING || w.code == DatWalker.TRANSLATION_SPECIFICATION ? 0
                            : DatWalker.teid(va, store, asceId);
                    return new Translation.Fault(new S390Fault(w.code, teid));
                }
                if (w.protect && store) {
                    return new Translation.Fault(new S390Fault(ProgramInterruption.PROTECTION,
                            DatWalker.teid(va, true, asceId) | DatWalker.TEID_PROT_61));
                }
                if (w.noExec && ifetch) {
                    return new Translation.Fault(new S390Fault(ProgramInterruption.PROTECTION,
                            DatWalker.teid(va, false, asceId) | DatWalker.TEID_PROT_56 | DatWalker.TEID_PROT_61));
                }
                real = w.real;
                pageSize = w.pageSize;
                perms &= ~((w.protect ? Translation.W : 0) | (w.noExec ? Translation.X : 0));
            }
        }
        if (store && (s.cr[0] & S390Interpreter.CR0_LOW_ADDRESS_PROTECTION) != 0 && S390Interpreter.lowAddress(va)) {
            return new Translation.Fault(new S390Fault(ProgramInterruption.PROTECTION,
                    DatWalker.teid(va, true, 0) | DatWalker.TEID_PROT_56));
        }
        if (Long.compareUnsigned(cpu.absolute(real), cpu.storageSize()) >= 0) {
            return new Translation.Fault(new S390Fault(ProgramInterruption.ADDRESSING, 0));
        }
        return new Translation.Mapped(real, pageSize, perms);
    }

    @Override
    public Translation debugTranslate(long virtual) {
        S390CpuState s = cpu.state();
        long va = virtual & s.addressMask();
        if ((s.pswMask & S390CpuState.PSW_DAT) == 0) {
            return new Translation.Mapped(va, 4096, Translation.R | Translation.W | Translation.X);
        }
        int asceId = s.asc() == S390CpuState.ASC_HOME ? 3 : 0;
        DatWalker.Result w = cpu.dat().walk(asce(s, asceId), va, (s.cr[0] & S390Interpreter.CR0_EDAT) != 0,
                (s.cr[0] & S390Interpreter.CR0_IEP) != 0, new DatWalker.Result());
        if (w.code != 0) {
            return new Translation.Fault(new S390Fault(w.code, DatWalker.teid(va, false, asceId)));
        }
        return new Translation.Mapped(w.real, w.pageSize, Translation.R | (w.protect ? 0 : Translation.W)
                | (w.noExec ? 0 : Translation.X));
    }

    /** The ASCE for a TEID ASCE identification: CR1 primary (and ALET-0 AR mode), CR7 secondary, CR13 home. */
    private static long asce(S390CpuState s, int asceId) {
        return switch (asceId) {
            case 2 -> s.cr[7];
            case 3 -> s.cr[13];
            default -> s.cr[1];
        };
    }
}
