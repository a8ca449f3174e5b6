package org.hyperport.x86.kvm;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import java.util.List;
import org.hyperport.api.Availability;
import org.hyperport.api.Engine;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.HostInfo;
import org.hyperport.api.Machine;
import org.hyperport.api.VmConfig;

/** x86-64 on KVM: needs an x86_64 host and a read-write {@code /dev/kvm}. */
public final class X86KvmEngine implements EngineProvider {

    @Override
    public Engine engine() {
        return Engine.KVM;
    }

    @Override
    public String requirement() {
        return "x86_64 host with read-write /dev/kvm";
    }

    @Override
    public Availability probe(HostInfo host) {
        if (!"x86_64".equals(host.machine())) {
            return Availability.unusable("host is " + host.machine() + ", KVM runs x86_64 guests only on x86_64");
        }
        HostInfo.KvmAccess kvm = host.kvm();
        return kvm.usable() ? Availability.usable(kvm.detail()) : Availability.unusable(kvm.detail());
    }

    @Override
    public List<Module> modules(VmConfig config) {
        return List.of(new AbstractModule() {
            @Override
            protected void configure() {
                bind(Machine.class).to(X86KvmMachine.class);
            }
        });
    }
}
