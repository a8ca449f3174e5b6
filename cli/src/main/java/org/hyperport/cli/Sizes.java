package org.hyperport.cli;

import java.util.Locale;
import org.hyperport.api.HyperportException;

/** Parses sizes as QEMU does: a number with an optional K, M, G or T suffix (binary units); bare numbers are MiB. */
final class Sizes {
    private Sizes() {
    }

    static long parse(String option, String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        }
        long mult = 1L << 20;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> mult = 1L << 10;
                case 'M' -> mult = 1L << 20;
                case 'G' -> mult = 1L << 30;
                case 'T' -> mult = 1L << 40;
                default -> mult = 0;
            }
        }
        String digits = mult == 0 ? t : t.substring(0, t.length() - 1);
        if (mult == 0) {
            mult = 1L << 20;
        }
        try {
            long n = Long.parseLong(digits);
            if (n <= 0 || n > Long.MAX_VALUE / mult) {
                throw new NumberFormatException();
            }
            return n * mult;
        } catch (NumberFormatException e) {
            throw HyperportException.badInput("invalid size for " + option + ": '" + s + "' (e.g. 256M, 1G)");
        }
    }
}
