package io.github.dtraceprovider.core.internal.nativecore;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where object files go when the application did not choose a directory with {@code Builder.directory(...)}: the
 * first of the {@linkplain #candidates candidates} that works, tried in the order that method's javadoc states for
 * users. The object is code the process maps executable, so its directory must be writable and on a file system that
 * allows execution; hardened hosts often mount {@code /tmp} {@code noexec} or read-only, and rather than leave the
 * probes off there, per-user directories come next.
 *
 * <p>The native core creates and checks the private {@code dtrace-provider-UID} directory inside the chosen one. The
 * directory that worked is remembered, so that later enables do not retry failing ones while the configuration
 * stays the same.
 */
public final class DefaultObjectDirectory {

    private static final System.Logger LOG = System.getLogger("io.github.dtraceprovider");
    private static final String HOW_TO_CHOOSE = "choose a directory with the system property dtrace.provider.dir,"
            + " the environment variable DTRACE_PROVIDER_DIR, DTraceProvider.Builder.directory(...) or, in Spring"
            + " Boot, the property dtrace.directory";

    /** A directory to try and where it came from, for messages. {@code path} is null when its source is unset. */
    record Candidate(String source, Path path) {

        @Override
        public String toString() {
            return path + " (" + source + ")";
        }

        // Written out: a record's generated equals is linked through invokedynamic, and the JDK keeps what that links
        // in a softly reachable cache, which holds the class loader of a redeployed copy of this library until memory
        // runs short (RedeployTest).
        @Override
        public boolean equals(Object other) {
            return other instanceof Candidate that && source.equals(that.source) && Objects.equals(path, that.path);
        }

        @Override
        public int hashCode() {
            return Objects.hash(source, path);
        }
    }

    private static final Object LOCK = new Object();
    /** The candidate that worked last; guarded by LOCK. */
    private static Candidate working;

    private DefaultObjectDirectory() {
    }

    /**
     * Loads the provider's pending probes into an object in the first directory that works.
     *
     * @return null, or one line naming every directory tried with its reason and how to choose one
     */
    public static String load(long provider) {
        synchronized (LOCK) {
            List<Candidate> candidates = candidates(System::getProperty, System::getenv);
            // the configuration may have changed since: the remembered directory counts only if still a candidate
            if (candidates.contains(working)
                    && NativeCore.dtp_provider_enable(provider, working.path().toString()) == 0) {
                return null;
            }
            List<String> failures = new ArrayList<>();
            for (Candidate candidate : candidates) {
                if (candidate.path() == null) {
                    failures.add(candidate.source() + " is not set");
                    continue;
                }
                String problem = tryLoad(provider, candidate);
                if (problem == null) {
                    if (!candidate.equals(working) && !failures.isEmpty()) {
                        log("DTrace provider objects go to " + candidate + "; tried first: "
                                + String.join("; ", failures));
                    }
                    working = candidate;
                    return null;
                }
                failures.add(candidate + ": " + problem);
            }
            working = null;
            return "no directory for the object file works: " + String.join("; ", failures) + "; " + HOW_TO_CHOOSE;
        }
    }

    /**
     * The candidates in order, without duplicates; unset ones stay in the list so that messages can say so. This is
     * the one place the order is decided.
     */
    static List<Candidate> candidates(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        List<Candidate> candidates = new ArrayList<>();
        // what the user configured, else the JVM's temporary directory
        String property = properties.apply("dtrace.provider.dir");
        String variable = environment.apply("DTRACE_PROVIDER_DIR");
        if (isSet(property)) {
            candidates.add(candidate("system property dtrace.provider.dir", property));
        } else if (isSet(variable)) {
            candidates.add(candidate("$DTRACE_PROVIDER_DIR", variable));
        } else {
            candidates.add(candidate("java.io.tmpdir", properties.apply("java.io.tmpdir")));
        }
        // a per-user tmpfs on systemd hosts
        candidates.add(candidate("$XDG_RUNTIME_DIR", environment.apply("XDG_RUNTIME_DIR")));
        // created mode 0700 if missing; JNA unpacks its own libraries there too, so it must allow execution anyway
        String home = properties.apply("user.home");
        candidates.add(new Candidate("~/.cache", isSet(home) ? Path.of(home, ".cache").toAbsolutePath() : null));
        Set<Path> seen = new LinkedHashSet<>();
        candidates.removeIf(candidate -> candidate.path() != null && !seen.add(candidate.path()));
        return candidates;
    }

    private static String tryLoad(long provider, Candidate candidate) {
        if (candidate.source().equals("~/.cache")) {
            String problem = createPrivately(candidate.path());
            if (problem != null) {
                return problem;
            }
        }
        if (NativeCore.dtp_provider_enable(provider, candidate.path().toString()) != 0) {
            return NativeCore.dtp_last_error();
        }
        return null;
    }

    /** Creates ~/.cache the way the XDG base directory specification asks: mode 0700, only if missing. */
    private static String createPrivately(Path directory) {
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            return null;
        } catch (FileAlreadyExistsException exists) {
            return null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "cannot create it: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static Candidate candidate(String source, String path) {
        return new Candidate(source, isSet(path) ? Path.of(path).toAbsolutePath() : null);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static void log(String message) {
        try {
            LOG.log(System.Logger.Level.WARNING, message);
        } catch (Throwable ignored) {
            // a broken logger must not stop the probes from loading
        }
    }
}
