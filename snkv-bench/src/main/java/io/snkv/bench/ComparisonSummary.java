package io.snkv.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Summarises interleaved runs on standard output: per phase, each implementation's median ops/s over runs with min
 * and max, then the ratio of medians of this store to each peer (WORKLOADS.md "Reporting"). Pass 1 (cold) and the
 * last pass (warm) are summarised separately when there are several passes. With {@code snkv-capture} beside
 * {@code snkv}, each phase also gets the ratio capture on / off ({@code snkv-capture/snkv}) and what capture wrote
 * in it (median LTX files and bytes over runs), and the pass lines for what creating the stores logged
 * ({@code workload=open}, untimed) and for capture's totals ({@code workload=all}).
 */
final class ComparisonSummary {

    private static final String THIS_STORE = SnkvEngine.PLAIN;
    /** This store, with and without capture: compared with each peer, and with each other. */
    private static final List<String> THIS_STORES = List.of(SnkvEngine.PLAIN, SnkvEngine.CAPTURE);

    private final List<String> impls;
    private final List<RunResult> results;

    ComparisonSummary(List<String> impls, List<RunResult> results) {
        this.impls = impls;
        this.results = results;
    }

    void print(int passes) {
        Set<Integer> summarised = new TreeSet<>(List.of(1, passes));
        for (int pass : summarised) {
            String passPrefix = passes > 1 ? "pass=" + pass + " " : "";
            for (String workload : workloads(pass)) {
                for (String impl : impls) {
                    List<Long> values = opsPerSec(impl, pass, workload);
                    if (!values.isEmpty()) {
                        System.out.printf(Locale.ROOT,
                                "%ssummary impl=%s workload=%s runs=%d median_ops_per_sec=%d min_ops_per_sec=%d"
                                        + " max_ops_per_sec=%d%n", passPrefix, impl, workload, values.size(),
                                median(values), values.get(0), values.get(values.size() - 1));
                    }
                }
                for (String peer : impls) {
                    if (!THIS_STORES.contains(peer)) {
                        for (String ours : THIS_STORES) {
                            if (impls.contains(ours)) {
                                printRatio(passPrefix, workload, ours, peer, pass);
                            }
                        }
                    }
                }
                if (impls.contains(SnkvEngine.CAPTURE) && impls.contains(THIS_STORE)) {
                    printRatio(passPrefix, workload, SnkvEngine.CAPTURE, THIS_STORE, pass);
                }
                printCapture(passPrefix, workload, pass);
            }
            printCapture(passPrefix, SnkvEngine.OPEN, pass);
            printCapture(passPrefix, CaptureFigures.ALL, pass);
        }
        for (String impl : impls) {
            List<Long> rss = new ArrayList<>();
            results.stream().filter(r -> r.impl().equals(impl) && r.peakRssKb() >= 0)
                    .forEach(r -> rss.add(r.peakRssKb()));
            rss.sort(null);
            if (!rss.isEmpty()) {
                System.out.printf(Locale.ROOT, "summary impl=%s runs=%d median_peak_rss_kb=%d min_peak_rss_kb=%d"
                        + " max_peak_rss_kb=%d%n", impl, rss.size(), median(rss), rss.get(0), rss.get(rss.size() - 1));
            }
        }
    }

    private void printRatio(String passPrefix, String workload, String a, String b, int pass) {
        List<Long> ofA = opsPerSec(a, pass, workload);
        List<Long> ofB = opsPerSec(b, pass, workload);
        if (!ofA.isEmpty() && !ofB.isEmpty() && median(ofB) > 0) {
            System.out.printf(Locale.ROOT, "%sratio workload=%s %s/%s=%.2f%n", passPrefix, workload, a, b,
                    (double) median(ofA) / median(ofB));
        }
    }

    /** Per implementation that captured: medians over runs of what capture wrote in this phase (or pass). */
    private void printCapture(String passPrefix, String workload, int pass) {
        for (String impl : impls) {
            List<CaptureFigures> figures = new ArrayList<>();
            for (RunResult r : results) {
                if (r.impl().equals(impl)) {
                    r.captures().stream().filter(c -> c.pass() == pass && c.workload().equals(workload))
                            .forEach(figures::add);
                }
            }
            if (figures.isEmpty()) {
                continue;
            }
            List<Long> bytes = sorted(figures.stream().map(CaptureFigures::bytes).toList());
            System.out.printf(Locale.ROOT, "%ssummary impl=%s capture workload=%s runs=%d median_commits=%d"
                            + " median_ltx_files=%d median_ltx_bytes=%d min_ltx_bytes=%d max_ltx_bytes=%d"
                            + " median_ltx_bytes_per_commit=%d%n", passPrefix, impl, workload, figures.size(),
                    median(sorted(figures.stream().map(CaptureFigures::commits).toList())),
                    median(sorted(figures.stream().map(CaptureFigures::files).toList())),
                    median(bytes), bytes.get(0), bytes.get(bytes.size() - 1),
                    median(sorted(figures.stream().map(CaptureFigures::bytesPerCommit).toList())));
        }
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> copy = new ArrayList<>(values);
        copy.sort(null);
        return copy;
    }

    /** Workload names in the order the runs printed them. */
    private Set<String> workloads(int pass) {
        Set<String> names = new LinkedHashSet<>();
        for (RunResult r : results) {
            r.phases().stream().filter(p -> p.pass() == pass).forEach(p -> names.add(p.workload()));
        }
        return names;
    }

    /** Sorted ascending. */
    private List<Long> opsPerSec(String impl, int pass, String workload) {
        List<Long> values = new ArrayList<>();
        for (RunResult r : results) {
            if (r.impl().equals(impl)) {
                r.phases().stream().filter(p -> p.pass() == pass && p.workload().equals(workload))
                        .forEach(p -> values.add(p.opsPerSec()));
            }
        }
        values.sort(null);
        return values;
    }

    /** Of a sorted list; the mean of the two middle values when the count is even. */
    static long median(List<Long> sorted) {
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
}
