package io.snkv.bench;

import java.util.List;

/**
 * The child-process side: runs every pass of the workload for one Java implementation, checks each pass's counts,
 * and ends with the peak RSS line. Exit code 1 when a self-check failed.
 */
final class SingleImplementationRun {

    private final RunnerOptions options;

    SingleImplementationRun(RunnerOptions options) {
        this.options = options;
    }

    private static Engine engineNamed(String impl) {
        return switch (impl) {
            case SnkvEngine.PLAIN -> SnkvEngine.plain();
            case SnkvEngine.CAPTURE -> SnkvEngine.capturing();
            case "sqlite" -> new SqliteJdbcEngine();
            default -> throw new IllegalArgumentException("no Java engine named " + impl);
        };
    }

    int run() throws Exception {
        Engine engine = engineNamed(options.childImpl());
        String impl = engine.name();
        PhaseLinePrinter out = new PhaseLinePrinter(impl, options.passes());
        RuntimeDescription.printJvm(impl);
        SelfCheck.verifyGenerator();
        boolean failed = false;
        for (int pass = 1; pass <= options.passes(); pass++) {
            out.startPass(pass);
            try (TemporaryDirectory tmp = new TemporaryDirectory(options.dir(), "snkv-bench-" + impl + "-")) {
                if (pass == 1) {
                    RuntimeDescription.printFileSystem(impl, tmp.path());
                }
                SelfCheck counts;
                try {
                    counts = new WorkloadPass(engine, options.n(), out).run(tmp.path(), pass == 1);
                } finally {
                    engine.close(); // a failed phase must not leave the store open while its directory is deleted
                }
                printCapture(engine, out);
                List<String> differences = counts.report(impl, pass, options.n());
                if (!differences.isEmpty()) {
                    System.err.println("SELF-CHECK FAILED impl=" + impl + " pass=" + pass + ": "
                            + String.join("; ", differences));
                    failed = true;
                }
            }
        }
        out.peakRss(PeakRss.kilobytes());
        return failed ? 1 : 0;
    }

    /** After the pass's phase lines: what capture wrote in each phase, then in the whole pass; nothing without it. */
    private static void printCapture(Engine engine, PhaseLinePrinter out) {
        List<CaptureFigures> figures = engine.takeCaptureFigures();
        if (figures.isEmpty()) {
            return;
        }
        CaptureFigures total = new CaptureFigures(engine.name(), 0, CaptureFigures.ALL, 0, 0, 0);
        for (CaptureFigures f : figures) {
            out.capture(f);
            total = total.plus(f);
        }
        out.capture(total);
    }
}
