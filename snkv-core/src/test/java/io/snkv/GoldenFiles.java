package io.snkv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the golden SNKV files live, and how a test gets its own copy of one.
 *
 * <p>The directory is {@code <shared>/golden/snkv}, where {@code <shared>} is the system property
 * {@code snkv.shared} (surefire sets it to the project root's {@code ../shared}) or, when that does not
 * hold the golden files, {@code ../shared} and {@code ../../shared} relative to the working directory.
 * Tests never open the golden files in place: they copy them with {@link #copy} and open the copy.
 */
final class GoldenFiles {
    static final String MANIFEST = "manifest.jsonl";

    private GoldenFiles() {
    }

    /** The golden directory; fails with the paths it tried when none holds the manifest. */
    static Path dir() {
        List<Path> tried = new ArrayList<>();
        String property = System.getProperty("snkv.shared");
        if (property != null && !property.isBlank()) {
            tried.add(Paths.get(property));
        }
        tried.add(Paths.get("..", "shared"));
        tried.add(Paths.get("..", "..", "shared"));
        for (Path shared : tried) {
            Path golden = shared.resolve("golden").resolve("snkv");
            if (Files.isRegularFile(golden.resolve(MANIFEST))) {
                return golden.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("golden SNKV files not found; tried <shared>/golden/snkv for shared in "
                + tried + " (working directory " + Paths.get("").toAbsolutePath() + ")");
    }

    static Path manifest() {
        return dir().resolve(MANIFEST);
    }

    /**
     * Copies golden file {@code name} into {@code targetDir}, together with its {@code -wal} when the golden
     * directory has one, and returns the copy's path. The copies are writable.
     */
    static Path copy(String name, Path targetDir) {
        try {
            Files.createDirectories(targetDir);
            Path source = dir().resolve(name);
            Path target = targetDir.resolve(name);
            copyWritable(source, target);
            Path wal = dir().resolve(name + "-wal");
            if (Files.exists(wal)) {
                copyWritable(wal, targetDir.resolve(name + "-wal"));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The golden file's bytes (not a copy on disk). */
    static byte[] read(String name) {
        try {
            return Files.readAllBytes(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyWritable(Path source, Path target) throws IOException {
        // Files.copy would carry the golden files' read-only mode over; write the bytes instead.
        Files.write(target, Files.readAllBytes(source));
    }
}
