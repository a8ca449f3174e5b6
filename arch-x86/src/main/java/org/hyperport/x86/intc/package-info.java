/**
 * x86 interrupt controllers (STYLE §8): one state record ({@link org.hyperport.x86.intc.IrqchipState}), an emulated
 * implementation ({@link org.hyperport.x86.intc.EmulatedIrqchip}: 8259A pair, 82093AA I/O APIC, local APICs) and the
 * in-kernel one ({@link org.hyperport.x86.intc.KvmIrqchip}), both {@link org.hyperport.api.InterruptController}s whose
 * lines are GSIs. Devices see only {@link org.hyperport.api.IrqLine}s; the interpreter's CPU sees only
 * {@link org.hyperport.x86.intc.X86InterruptSource}; interrupt messages travel over the narrow
 * {@link org.hyperport.x86.intc.ApicBus}.
 */
package org.hyperport.x86.intc;
