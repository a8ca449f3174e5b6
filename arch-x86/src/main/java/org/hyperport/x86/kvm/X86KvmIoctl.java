package org.hyperport.x86.kvm;

/** x86-only KVM ioctls (Documentation/virt/kvm/api.rst, "Architectures: x86"), checked against the host header. */
final class X86KvmIoctl {
    private X86KvmIoctl() {
    }

    static final long KVM_GET_SUPPORTED_CPUID = 0xC008AE05L;
    static final long KVM_SET_TSS_ADDR = 0xAE47L;
    static final long KVM_SET_IDENTITY_MAP_ADDR = 0x4008AE48L;
    static final long KVM_CREATE_PIT2 = 0x4040AE77L;
    static final long KVM_GET_REGS = 0x8090AE81L;
    static final long KVM_SET_REGS = 0x4090AE82L;
    static final long KVM_GET_SREGS = 0x8138AE83L;
    static final long KVM_SET_SREGS = 0x4138AE84L;
    static final long KVM_GET_MSRS = 0xC008AE88L;
    static final long KVM_SET_MSRS = 0x4008AE89L;
    static final long KVM_SET_CPUID2 = 0x4008AE90L;
    static final long KVM_GET_FPU = 0x81A0AE8CL;
    static final long KVM_SET_FPU = 0x41A0AE8DL;

    static final int KVM_CAP_PIT2 = 33;
    static final int KVM_CAP_SET_TSS_ADDR = 4;
    static final int KVM_CAP_EXT_CPUID = 7;

    static final int SIZEOF_REGS = 144;
    static final int SIZEOF_SREGS = 312;
    static final int SIZEOF_FPU = 416;
    static final int SIZEOF_CPUID_ENTRY = 40;

    /** Where KVM puts the TSS pages Intel's VMX needs for real mode; QEMU and Firecracker use this address. */
    static final long TSS_ADDR = 0xFFFBD000L;
    static final long IDENTITY_MAP_ADDR = 0xFFFBC000L;
}
