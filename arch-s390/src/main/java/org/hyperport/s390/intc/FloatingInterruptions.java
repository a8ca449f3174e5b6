package org.hyperport.s390.intc;

import org.hyperport.api.InterruptController;
import org.hyperport.api.IrqLine;

/**
 * s390 has no interrupt controller (ARCHITECTURE.md): devices make floating interruptions pending for any enabled
 * CPU. The one floating source this machine has is the SCLP's service signal: line 0 asserted posts an attention
 * service signal (parameter 1: event buffers pending, no SCCB), as the event facility does for console input. The
 * channel subsystem's I/O subclasses are not modelled yet (no virtio-ccw devices).
 */
public final class FloatingInterruptions implements InterruptController {

    public static final int SERVICE_SIGNAL = 0;

    private final IrqLine serviceSignal;

    public FloatingInterruptions(Runnable serviceSignalAttention) {
        this.serviceSignal = asserted -> {
            if (asserted) {
                serviceSignalAttention.run();
            }
        };
    }

    @Override
    public String name() {
        return "s390-flic";
    }

    @Override
    public int lines() {
        return 1;
    }

    @Override
    public IrqLine line(int n) {
        if (n != SERVICE_SIGNAL) {
            throw new IllegalArgumentException("s390-flic has 1 line (the service signal), not " + n);
        }
        return serviceSignal;
    }
}
