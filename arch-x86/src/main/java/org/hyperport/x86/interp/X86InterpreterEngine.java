package org.hyperport.x86.interp;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import java.util.List;
import org.hyperport.api.Availability;
import org.hyperport.api.Engine;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.HostInfo;
import org.hyperport.api.HyperportException;
import org.hyperport.api.Machine;
import org.hyperport.api.VmConfig;

/**
 * The x86-64 interpreter engine: runs on any host. It reports itself unusable, with that reason, until the
 * instruction set it needs is in place ({@link X86Semantics#complete()}), rather than pretending.
 */
public final class X86InterpreterEngine implements EngineProvider {

    static final String NOT_YET = "the x86_64 interpreter is not implemented yet";

    @Override
    public Engine engine() {
        return Engine.INTERPRETER;
    }

    @Override
    public String requirement() {
        return "any host";
    }

    @Override
    public Availability probe(HostInfo host) {
        return X86Semantics.complete() ? Availability.usable("Java interpreter")
                : Availability.unusable(NOT_YET);
    }

    @Override
    public List<Module> modules(VmConfig config) {
        if (!X86Semantics.complete()) {
            throw new HyperportException(HyperportException.ENGINE_UNAVAILABLE, NOT_YET);
        }
        return List.of(new AbstractModule() {
            @Override
            protected void configure() {
                bind(Machine.class).to(X86InterpMachine.class);
            }
        });
    }
}
