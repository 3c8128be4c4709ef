package io.snkv.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A fresh directory created for one run and deleted, with everything in it, when closed. */
final class TemporaryDirectory implements AutoCloseable {

    private final Path path;

    TemporaryDirectory(Path parent, String prefix) throws IOException {
        Files.createDirectories(parent);
        this.path = Files.createTempDirectory(parent, prefix);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        List<Path> deepestFirst;
        try (Stream<Path> walk = Files.walk(path)) {
            deepestFirst = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        }
        for (Path p : deepestFirst) {
            Files.deleteIfExists(p);
        }
        if (Files.exists(path)) { // e.g. something wrote into it while it was being deleted
            throw new IOException("temporary directory " + path + " still exists after deleting it");
        }
    }
}
