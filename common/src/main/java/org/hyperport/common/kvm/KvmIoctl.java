package org.hyperport.common.kvm;

/**
 * The arch-neutral KVM ioctl numbers and constants ({@code include/uapi/linux/kvm.h}; Documentation/virt/kvm/api.rst).
 * Values were checked against the host's {@code <linux/kvm.h>}. x86-only ioctls live in {@code arch-x86}.
 */
public final class KvmIoctl {
    private KvmIoctl() {
    }

    public static final int KVM_API_VERSION = 12;

    // System ioctls.
    public static final long KVM_GET_API_VERSION = 0xAE00L;
    public static final long KVM_CREATE_VM = 0xAE01L;
    public static final long KVM_CHECK_EXTENSION = 0xAE03L;
    public static final long KVM_GET_VCPU_MMAP_SIZE = 0xAE04L;

    // VM ioctls.
    public static final long KVM_CREATE_VCPU = 0xAE41L;
    public static final long KVM_SET_USER_MEMORY_REGION = 0x4020AE46L;
    public static final long KVM_CREATE_IRQCHIP = 0xAE60L;
    public static final long KVM_IRQ_LINE = 0x4008AE61L;
    public static final long KVM_IRQFD = 0x4020AE76L;
    public static final long KVM_IOEVENTFD = 0x4040AE79L;

    // vCPU ioctls.
    public static final long KVM_RUN = 0xAE80L;
    public static final long KVM_GET_MP_STATE = 0x8004AE98L;
    public static final long KVM_SET_MP_STATE = 0x4004AE99L;
    public static final long KVM_SET_GUEST_DEBUG = 0x4048AE9BL;

    // Capabilities.
    public static final int KVM_CAP_IRQCHIP = 0;
    public static final int KVM_CAP_USER_MEMORY = 3;
    public static final int KVM_CAP_NR_VCPUS = 9;
    public static final int KVM_CAP_IOEVENTFD = 36;
    public static final int KVM_CAP_MAX_VCPUS = 66;
    public static final int KVM_CAP_IMMEDIATE_EXIT = 136;

    // kvm_ioeventfd flags.
    public static final int KVM_IOEVENTFD_FLAG_DATAMATCH = 1;
    public static final int KVM_IOEVENTFD_FLAG_PIO = 2;
    public static final int KVM_IOEVENTFD_FLAG_DEASSIGN = 4;

    // mp_state values.
    public static final int KVM_MP_STATE_RUNNABLE = 0;
    public static final int KVM_MP_STATE_UNINITIALIZED = 1;
    public static final int KVM_MP_STATE_INIT_RECEIVED = 2;
    public static final int KVM_MP_STATE_HALTED = 3;
}
