package org.hyperport.x86.interp;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import java.util.List;
import org.hyperport.api.Availability;
import org.hyperport.api.Engine;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.HostInfo;
import org.hyperport.api.Machine;
import org.hyperport.api.VmConfig;

/** The x86-64 interpreter engine: runs on any host. */
public final class X86InterpreterEngine implements EngineProvider {

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
        return Availability.usable("Java interpreter");
    }

    @Override
    public List<Module> modules(VmConfig config) {
        return List.of(new AbstractModule() {
            @Override
            protected void configure() {
                bind(Machine.class).to(X86InterpMachine.class);
            }
        });
    }
}
