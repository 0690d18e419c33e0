package io.wslistener.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.wslistener.bench.ShippedThroughput.Candidate;
import io.wslistener.bench.ShippedThroughput.Run;

/** The Markdown table of a {@link ShippedThroughput} run: every figure as "median (min - max)" over the rounds. */
final class ThroughputReport {

    private ThroughputReport() {
    }

    static String table(long messages, int size, Map<Candidate, List<Run>> results) {
        List<Run> bare = results.get(Candidate.VERTX_BARE);
        List<Run> stock = results.get(Candidate.STOCK);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%n%,d messages of %d bytes, %d round(s)%n%n", messages, size,
                results.values().iterator().next().size()));
        md.append("| candidate | msg/s | ratio to bare Vert.x | x stock route | CPU µs/msg: event loop | delivery | whole process"
                + " | ws-listener meters: received / written | output |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
        results.forEach((candidate, runs) -> {
            md.append("| ").append(candidate.label)
                    .append(" | ").append(Stats.summary(values(runs, Run::rate), "%,.0f"))
                    .append(" | ").append(ratios(runs, bare))
                    .append(" | ").append(candidate == Candidate.STOCK ? "1" : ratios(runs, stock))
                    .append(" | ").append(cpu(runs, "event loop"))
                    .append(" | ").append(cpu(runs, "delivery"))
                    .append(" | ").append(cpu(runs, "total"))
                    .append(" | ").append(meters(runs, messages))
                    .append(" | ").append(output(runs, messages)).append(" |\n");
        });
        return md.toString();
    }

    private static List<Double> values(List<Run> runs, Function<Run, Double> value) {
        return runs.stream().map(value).toList();
    }

    private static String ratios(List<Run> runs, List<Run> baseline) {
        if (baseline == null) {
            return "-";
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            ratios.add(runs.get(i).rate() / baseline.get(i).rate());
        }
        return Stats.summary(ratios, "%.2f");
    }

    private static String cpu(List<Run> runs, String group) {
        return Stats.summary(values(runs, r -> r.cpuMicrosPerMessage().getOrDefault(group, 0.0)), "%.2f");
    }

    private static String meters(List<Run> runs, long messages) {
        if (runs.get(0).metered() == null && runs.get(0).written() == null) {
            return "-";
        }
        long counted = runs.stream().filter(r -> Long.valueOf(messages).equals(r.metered())
                && Long.valueOf(messages).equals(r.written())).count();
        return counted == runs.size() ? "every message, every run"
                : runs.stream().map(r -> r.metered() + " / " + r.written()).toList().toString();
    }

    private static String output(List<Run> runs, long messages) {
        long bad = runs.stream().filter(r -> !r.check().perfect(messages)).count();
        if (bad == 0) {
            return "complete, in order";
        }
        return bad + " of " + runs.size() + " incomplete or reordered: " + runs.stream()
                .map(r -> r.check().missing() + " missing, " + r.check().reorderings() + " reordered").toList();
    }
}
