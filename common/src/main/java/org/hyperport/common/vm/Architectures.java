package org.hyperport.common.vm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.hyperport.api.Architecture;
import org.hyperport.api.HyperportException;

/** The architectures on the class path, found with {@link ServiceLoader}. */
public final class Architectures {

    private final List<Architecture> all;

    public Architectures(List<Architecture> all) {
        this.all = List.copyOf(all);
    }

    /** Everything registered under {@code META-INF/services/org.hyperport.api.Architecture}, sorted by id. */
    public static Architectures discover() {
        List<Architecture> list = new ArrayList<>();
        ServiceLoader.load(Architecture.class).forEach(list::add);
        list.sort(Comparator.comparing(Architecture::id));
        return new Architectures(list);
    }

    public List<Architecture> all() {
        return all;
    }

    /** The architecture named {@code name} (id or alias); otherwise a bad-input error listing the valid ones. */
    public Architecture byName(String name) {
        for (Architecture a : all) {
            if (a.matches(name)) {
                return a;
            }
        }
        throw HyperportException.badInput("unknown architecture '" + name + "' (valid: " + validNames() + ")");
    }

    public String validNames() {
        return all.stream().map(Architecture::id).collect(Collectors.joining(", "));
    }
}
