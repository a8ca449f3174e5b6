package org.hyperport.conformance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance matrix: architecture × engine × level, with pass/fail/skip counts and the failing cases named.
 * Rendered as text (for terminals), Markdown (for {@code docs/CONFORMANCE.md}) or JUnit XML (for CI tools).
 */
public final class MatrixReport {

    private final List<CaseResult> results;

    public MatrixReport(List<CaseResult> results) {
        this.results = List.copyOf(results);
    }

    public List<CaseResult> results() {
        return results;
    }

    public long count(CaseResult.Verdict v) {
        return results.stream().filter(r -> r.verdict() == v).count();
    }

    /** One row per (architecture, engine): counts per level. */
    private Map<String, Map<Level, int[]>> rows() {
        Map<String, Map<Level, int[]>> rows = new LinkedHashMap<>();
        for (CaseResult r : results) {
            String key = r.testCase().arch() + "/" + r.engine().id();
            int[] c = rows.computeIfAbsent(key, k -> new EnumMap<>(Level.class))
                    .computeIfAbsent(r.testCase().level(), l -> new int[3]);
            c[r.verdict().ordinal()]++;
        }
        return rows;
    }

    private static String cell(int[] c) {
        if (c == null) {
            return "-";
        }
        if (c[0] == 0 && c[1] == 0) {
            return "skip " + c[2];
        }
        return c[0] + "/" + (c[0] + c[1]) + (c[2] > 0 ? " +" + c[2] + "s" : "");
    }

    private List<CaseResult> failures() {
        return results.stream().filter(r -> r.verdict() == CaseResult.Verdict.FAIL).toList();
    }

    private String skipReasons(String row) {
        return results.stream().filter(r -> (r.testCase().arch() + "/" + r.engine().id()).equals(row)
                && r.verdict() == CaseResult.Verdict.SKIP).map(CaseResult::detail).distinct()
                .reduce((a, b) -> a + "; " + b).orElse("");
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-22s", "arch/engine"));
        for (Level l : Level.values()) {
            sb.append(String.format(" %-10s", l.name()));
        }
        sb.append('\n');
        for (var row : rows().entrySet()) {
            sb.append(String.format("%-22s", row.getKey()));
            for (Level l : Level.values()) {
                sb.append(String.format(" %-10s", cell(row.getValue().get(l))));
            }
            sb.append('\n');
            String why = skipReasons(row.getKey());
            if (!why.isEmpty()) {
                sb.append("    skipped: ").append(why).append('\n');
            }
        }
        sb.append("cells: passed/run (+skipped)\n");
        for (CaseResult f : failures()) {
            sb.append("FAIL ").append(f.testCase().id()).append(" [").append(f.engine().id()).append("] ")
                    .append(f.detail()).append('\n');
        }
        sb.append(String.format("%d passed, %d failed, %d skipped%n", count(CaseResult.Verdict.PASS),
                count(CaseResult.Verdict.FAIL), count(CaseResult.Verdict.SKIP)));
        return sb.toString();
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder("| Architecture | Engine |");
        for (Level l : Level.values()) {
            sb.append(' ').append(l.name()).append(' ').append(l.meaning()).append(" |");
        }
        sb.append("\n|---|---|");
        sb.append("---|".repeat(Level.values().length)).append('\n');
        for (var row : rows().entrySet()) {
            String[] ae = row.getKey().split("/");
            sb.append("| ").append(ae[0]).append(" | ").append(ae[1]).append(" |");
            for (Level l : Level.values()) {
                sb.append(' ').append(cell(row.getValue().get(l))).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nCells: passed/run (+skipped). ");
        sb.append(String.format("Total: %d passed, %d failed, %d skipped.%n", count(CaseResult.Verdict.PASS),
                count(CaseResult.Verdict.FAIL), count(CaseResult.Verdict.SKIP)));
        List<String> notes = new ArrayList<>();
        for (String row : rows().keySet()) {
            String why = skipReasons(row);
            if (!why.isEmpty()) {
                notes.add("- " + row + " skipped: " + why);
            }
        }
        for (CaseResult f : failures()) {
            notes.add("- FAIL " + f.testCase().id() + " [" + f.engine().id() + "]: " + f.detail());
        }
        if (!notes.isEmpty()) {
            sb.append('\n').append(String.join("\n", notes)).append('\n');
        }
        return sb.toString();
    }

    public String junitXml() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format("<testsuite name=\"hyperport-conformance\" tests=\"%d\" failures=\"%d\" skipped=\"%d\">%n",
                results.size(), count(CaseResult.Verdict.FAIL), count(CaseResult.Verdict.SKIP)));
        for (CaseResult r : results) {
            sb.append(String.format("  <testcase classname=\"%s.%s.%s\" name=\"%s\" time=\"%.3f\"",
                    xml(r.testCase().arch()), r.engine().id(), r.testCase().level().name(), xml(r.testCase().name()),
                    r.millis() / 1000.0));
            switch (r.verdict()) {
                case PASS -> sb.append("/>\n");
                case FAIL -> sb.append(">\n    <failure message=\"").append(xml(r.detail())).append("\"/>\n")
                        .append("  </testcase>\n");
                case SKIP -> sb.append(">\n    <skipped message=\"").append(xml(r.detail())).append("\"/>\n")
                        .append("  </testcase>\n");
            }
        }
        sb.append("</testsuite>\n");
        return sb.toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
