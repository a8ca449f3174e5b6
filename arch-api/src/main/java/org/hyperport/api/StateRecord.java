package org.hyperport.api;

/**
 * One CPU state the guest asked to have recorded ({@link VmControl#recordState}).
 *
 * @param vcpu     index of the vCPU that asked
 * @param sequence 0-based position among all records of the VM
 * @param tag      the guest's label
 * @param state    the full architectural state at that point
 */
public record StateRecord(int vcpu, int sequence, long tag, CpuSnapshot state) {
}
