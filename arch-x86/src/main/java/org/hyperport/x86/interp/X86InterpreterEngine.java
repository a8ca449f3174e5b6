package org.hyperport.x86.interp;

import com.google.inject.Module;
import java.util.List;
import org.hyperport.api.Availability;
import org.hyperport.api.Engine;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.HostInfo;
import org.hyperport.api.HyperportException;
import org.hyperport.api.VmConfig;

/**
 * The x86-64 interpreter engine. It is listed so that {@code hyperport archs} and {@code --engine interpreter} say
 * plainly that it does not exist yet, instead of pretending; the interpreter itself is issue #4.
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
        return Availability.unusable(NOT_YET);
    }

    @Override
    public List<Module> modules(VmConfig config) {
        throw new HyperportException(HyperportException.ENGINE_UNAVAILABLE, NOT_YET);
    }
}
