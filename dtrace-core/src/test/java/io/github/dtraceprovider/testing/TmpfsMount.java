package io.github.dtraceprovider.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A tmpfs mounted on a test directory, to give a test a real {@code noexec} or read-only file system. Needs root
 * (and a kernel that lets this process mount): the test is skipped otherwise, except on CI (env {@code CI} true),
 * where it fails.
 */
public final class TmpfsMount implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Path path;

    private TmpfsMount(Path path) {
        this.path = path;
    }

    /** Creates {@code path} if needed and mounts a tmpfs there with {@code options}, e.g. {@code "noexec"}. */
    public static TmpfsMount mount(Path path, String options) {
        Tools.assumeRoot();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tools.Result result = Tools.run(TIMEOUT, "mount", "-t", "tmpfs", "-o", options, "tmpfs", path.toString());
        Tools.assumeCondition(result.exitCode() == 0, "cannot mount a tmpfs on " + path + ": "
                + (result.stderr() + result.stdout()).strip());
        return new TmpfsMount(path);
    }

    public Path path() {
        return path;
    }

    /** Makes the file system read-only; what was written before stays readable. */
    public void remountReadOnly() {
        Tools.runOk(TIMEOUT, "mount", "-o", "remount,ro", path.toString());
    }

    @Override
    public void close() {
        Tools.runOk(TIMEOUT, "umount", path.toString());
    }
}
