package io.wslistener.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Medians and ranges for the benchmark tables: every figure is reported as "median (min - max)". */
final class Stats {

    private Stats() {
    }

    static double median(Collection<Double> values) {
        List<Double> sorted = sorted(values);
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double min(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** "median (min - max)" with the given number format, e.g. "%,.0f". */
    static String summary(Collection<Double> values, String format) {
        if (values.isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, format + " (" + format + " - " + format + ")", median(values), min(values),
                max(values));
    }

    private static List<Double> sorted(Collection<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted;
    }
}
