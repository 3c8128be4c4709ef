package io.snkv.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs one implementation in a fresh process, so that peak RSS, class loading and JIT belong to that implementation
 * alone. Java implementations run in a child JVM started with this JVM's binary, flags and class path; the C
 * reference runner runs in its own temporary directory. The child's result lines are copied to standard output
 * (prefixed with {@code impl=<name>} where the child does not print it); its standard error is passed through.
 */
final class ChildProcess {

    private final RunnerOptions options;

    ChildProcess(RunnerOptions options) {
        this.options = options;
    }

    RunResult run(String impl, int run) throws Exception {
        if (impl.equals("c")) {
            try (TemporaryDirectory tmp = new TemporaryDirectory(options.dir(), "snkv-bench-c-")) {
                return execute(impl, run, List.of(options.cRunner().toString(), tmp.path().toString(),
                        Integer.toString(options.passes())));
            }
        }
        return execute(impl, run, javaCommand(impl));
    }

    private List<String> javaCommand(String impl) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The same flags as this JVM (e.g. -Xmx), but no debugger agent, whose port would clash.
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!flag.startsWith("-agentlib:jdwp")) {
                command.add(flag);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkloadRunner.class.getName(),
                "--child", impl, "--n", Integer.toString(options.n()), "--passes", Integer.toString(options.passes()),
                "--dir", options.dir().toString()));
        return command;
    }

    private RunResult execute(String impl, int run, List<String> command) throws Exception {
        System.err.println("run " + run + " impl=" + impl + ": " + command.stream().collect(Collectors.joining(" ")));
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<PhaseResult> phases = new ArrayList<>();
        List<CaptureFigures> captures = new ArrayList<>();
        long peakRssKb = -1;
        String prefix = "impl=" + impl + " ";
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String prefixed = line.startsWith("impl=") ? line : prefix + line;
                System.out.println(prefixed);
                PhaseResult.parse(prefixed).ifPresent(phases::add);
                CaptureFigures.parse(prefixed).ifPresent(captures::add);
                peakRssKb = PhaseResult.peakRssKb(prefixed).orElse(peakRssKb);
            }
        }
        int exitCode = process.waitFor();
        if (exitCode != 0) {
            System.err.println("run " + run + " impl=" + impl + " exited with code " + exitCode);
        }
        return new RunResult(impl, run, List.copyOf(phases), List.copyOf(captures), peakRssKb, exitCode);
    }
}
