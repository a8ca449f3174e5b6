package org.hyperport.api;

/**
 * Whether an engine can run on this host, and if not, why, in words a user can act on
 * ("no /dev/kvm", "permission denied on /dev/kvm", "host is aarch64, guest is x86_64").
 */
public record Availability(boolean usable, String reason) {

    public static Availability usable(String how) {
        return new Availability(true, how);
    }

    public static Availability unusable(String why) {
        return new Availability(false, why);
    }
}
