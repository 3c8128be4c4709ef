package io.snkv.cli;

import io.snkv.node.Node;
import io.snkv.node.NodeSettings;
import io.snkv.node.config.ExecCommand;
import io.snkv.node.config.LeaseType;
import io.snkv.node.config.NodeConfig;
import io.snkv.node.config.NodeConfigException;
import io.snkv.node.config.NodeConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code snkv mount -config node.yml}: runs a replication node (REPLICATION.md 7) until SIGTERM, or, with
 * {@code exec} (or {@code -- cmd args}), until that command ends, exiting with its status as LiteFS does.
 * A bad configuration, an address in use or an unwritable directory stops it at once with one line and
 * exit 1. Only the static lease runs in this version; consul and etcd are refused with a clear line.
 */
@Command(name = "mount", mixinStandardHelpOptions = true,
        description = {"Run a replication node from a LiteFS-style YAML configuration.",
                "Without -config: the first of ./litefs.yml, ~/litefs.yml, /etc/litefs.yml."})
final class MountCommand extends ToolCommand {
    @Option(names = "-config", paramLabel = "FILE", description = "the node's YAML configuration")
    private Path config;

    @Option(names = "-no-expand-env", description = "do not expand $VAR and ${...} in the configuration")
    private boolean noExpandEnv;

    @Option(names = "-debug", description = "debug logging (as log.debug: true)")
    private boolean debug;

    @Option(names = {"-tracing", "-fuse.debug", "-skip-unmount"}, hidden = true, description = "ignored (LiteFS's FUSE flags)")
    private boolean ignored;

    @Parameters(arity = "0..*", paramLabel = "CMD", description = "command to run once ready (after --), replacing exec")
    private List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        NodeConfig cfg;
        try {
            NodeConfigLoader loader = NodeConfigLoader.forThisProcess().withEnvExpansion(!noExpandEnv);
            cfg = config != null ? loader.load(config)
                    : loader.loadFirst(NodeConfigLoader.defaultSearchPaths(Path.of("").toAbsolutePath(),
                    Path.of(System.getProperty("user.home"))));
        } catch (NodeConfigException e) {
            throw new CommandFailure(e.getMessage());
        }
        if (debug) {
            cfg = cfg.withLogDebug(true);
        }
        NodeLogging.configure(cfg.log()); // before the first logger exists
        for (String w : cfg.warnings()) {
            err().println("warning: " + w);
        }
        boolean primary = cfg.lease().candidate();
        Node node;
        try {
            if (cfg.lease().type() != LeaseType.STATIC) {
                throw new CommandFailure("lease.type: " + cfg.lease().type().toString().toLowerCase(java.util.Locale.ROOT)
                        + " is not supported yet: this version runs the static lease only");
            }
            NodeSettings settings = new NodeSettings(cfg.fuse().dir(), cfg.data().dir(), cfg.http().host(), cfg.http().port(),
                    cfg.lease().hostname(), cfg.lease().advertiseUrl(), primary,
                    primary ? null : cfg.lease().hostname(), primary ? null : cfg.lease().advertiseUrl(),
                    cfg.data().retention(), cfg.lease().reconnectDelay(), cfg.lease().databases(),
                    cfg.data().retentionMonitorInterval(), cfg.snapshotTimeout().orElse(java.time.Duration.ZERO),
                    cfg.strictVerify());
            node = Node.start(settings);
        } catch (IOException | CommandFailure e) {
            if (cfg.exitOnError()) {
                throw e instanceof CommandFailure f ? f : new CommandFailure(e.getMessage());
            }
            // exit-on-error: false keeps the process up for debugging, as LiteFS does.
            err().println("snkv mount: " + e.getMessage());
            err().println("snkv mount: exit-on-error is false: staying up until stopped");
            new CountDownLatch(1).await();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "snkv-node-shutdown"));
        err().println("node " + node.nodeIdHex() + " running as " + (primary ? "primary" : "replica") + " on "
                + node.httpUrl() + ", serving " + cfg.fuse().dir());
        List<List<String>> toRun = new ArrayList<>();
        if (!command.isEmpty()) {
            toRun.add(command);
        } else {
            for (ExecCommand e : cfg.exec()) {
                if (!e.ifCandidate() || primary) {
                    toRun.add(List.of("sh", "-c", e.cmd()));
                }
            }
        }
        if (toRun.isEmpty()) {
            stopped.await();
            return 0;
        }
        if (!cfg.skipSync()) {
            while (!node.isReady()) {
                Thread.sleep(10);
            }
        }
        int status = 0;
        for (int i = 0; i < toRun.size(); i++) {
            Process p = new ProcessBuilder(toRun.get(i)).inheritIO().start();
            status = p.waitFor();
            if (status != 0 && i < toRun.size() - 1) {
                break;
            }
        }
        node.close();
        return status;
    }
}
