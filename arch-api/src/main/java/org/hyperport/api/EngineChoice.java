package org.hyperport.api;

import java.util.Locale;
import java.util.Optional;

/** The engine the user asked for: a specific one, or {@code auto} (first usable in the architecture's order). */
public enum EngineChoice {
    AUTO(null), KVM(Engine.KVM), INTERPRETER(Engine.INTERPRETER);

    private final Engine engine;

    EngineChoice(Engine engine) {
        this.engine = engine;
    }

    /** The explicit engine, empty for {@code auto}. */
    public Optional<Engine> engine() {
        return Optional.ofNullable(engine);
    }

    /** Parses {@code auto|kvm|interpreter}; a bad value is a {@link HyperportException#BAD_INPUT}. */
    public static EngineChoice parse(String s) {
        for (EngineChoice c : values()) {
            if (c.name().equalsIgnoreCase(s)) {
                return c;
            }
        }
        throw HyperportException.badInput("unknown engine '" + s + "' (valid: auto, kvm, interpreter)");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
