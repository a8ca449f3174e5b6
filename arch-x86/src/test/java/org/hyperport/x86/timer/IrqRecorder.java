package org.hyperport.x86.timer;

import org.hyperport.api.IrqLine;

/** Counts the rising edges of an interrupt line and remembers its level. */
final class IrqRecorder implements IrqLine {

    int risingEdges;
    boolean level;

    @Override
    public void set(boolean asserted) {
        if (asserted && !level) {
            risingEdges++;
        }
        level = asserted;
    }
}
