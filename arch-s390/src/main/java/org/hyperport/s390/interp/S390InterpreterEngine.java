package org.hyperport.s390.interp;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import java.util.List;
import org.hyperport.api.Availability;
import org.hyperport.api.Engine;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.HostInfo;
import org.hyperport.api.Machine;
import org.hyperport.api.VmConfig;

/** The s390x interpreter engine: runs on any host (s390 KVM needs an s390 host). */
public final class S390InterpreterEngine implements EngineProvider {

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
                bind(Machine.class).to(S390InterpMachine.class);
            }
        });
    }
}
