package org.hyperport.common.vm;

import org.hyperport.api.Architecture;
import org.hyperport.api.Availability;
import org.hyperport.api.EngineChoice;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.HostInfo;
import org.hyperport.api.HyperportException;

/** Resolves {@code --engine auto|kvm|interpreter} against what the host offers. */
public final class EngineSelector {

    private EngineSelector() {
    }

    /**
     * The provider to use. {@code auto} takes the first usable engine in the architecture's order; an explicit
     * choice must be offered and usable. Failure is an {@link HyperportException#ENGINE_UNAVAILABLE} naming why.
     */
    public static EngineProvider select(Architecture arch, EngineChoice choice, HostInfo host) {
        StringBuilder reasons = new StringBuilder();
        for (EngineProvider p : arch.engines()) {
            if (choice.engine().isPresent() && choice.engine().get() != p.engine()) {
                continue;
            }
            Availability a = p.probe(host);
            if (a.usable()) {
                return p;
            }
            if (choice.engine().isPresent()) {
                throw new HyperportException(HyperportException.ENGINE_UNAVAILABLE,
                        "engine " + p.engine().id() + " cannot run " + arch.id() + " here: " + a.reason());
            }
            reasons.append(reasons.isEmpty() ? "" : "; ").append(p.engine().id()).append(": ").append(a.reason());
        }
        if (choice.engine().isPresent()) {
            throw new HyperportException(HyperportException.ENGINE_UNAVAILABLE,
                    arch.id() + " has no " + choice.id() + " engine");
        }
        throw new HyperportException(HyperportException.ENGINE_UNAVAILABLE,
                "no usable engine for " + arch.id() + " on this host (" + reasons + ")");
    }
}
