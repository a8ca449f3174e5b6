package org.hyperport.conformance;

/** Conformance levels: each builds on the ones below it. */
public enum Level {
    L0("SPI contracts"),
    L1("user ISA"),
    L2("exceptions and interrupts"),
    L3("MMU"),
    L4("SMP"),
    L5("boots Linux");

    private final String meaning;

    Level(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }
}
