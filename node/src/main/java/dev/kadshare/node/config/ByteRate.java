package dev.kadshare.node.config;

import java.util.Locale;

/** Parses a rate in bytes per second: a whole number with an optional K, M or G suffix (powers of 1024); 0 means unlimited. */
public final class ByteRate {
    private ByteRate() {}

    public static long parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long multiplier = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> multiplier = 1L << 10;
                case 'M' -> multiplier = 1L << 20;
                case 'G' -> multiplier = 1L << 30;
                default -> { }
            }
        }
        String digits = multiplier == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long value = Long.parseLong(digits);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(value, multiplier);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("expected bytes per second like 500000, 512K or 10M, got '" + text + "'");
        }
    }
}
