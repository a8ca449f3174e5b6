package org.hyperport.s390.machine;

import java.util.ArrayList;
import java.util.List;
import org.hyperport.api.VmControl;

/** Records what the board asks of the VM. */
final class FakeControl implements VmControl {
    final List<String> calls = new ArrayList<>();

    @Override
    public void guestExit(int status, String how) {
        calls.add("exit " + status);
    }

    @Override
    public void powerOff(String how) {
        calls.add("poweroff");
    }

    @Override
    public void reset(String how) {
        calls.add("reset " + how);
    }

    @Override
    public void crash(String diagnosis) {
        calls.add("crash " + diagnosis);
    }

    @Override
    public void recordState(long tag) {
    }

    @Override
    public boolean stopping() {
        return false;
    }
}
