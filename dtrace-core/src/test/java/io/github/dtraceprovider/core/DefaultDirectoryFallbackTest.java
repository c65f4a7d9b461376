package io.github.dtraceprovider.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.ChildJvm;
import io.github.dtraceprovider.testing.TmpfsMount;

import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The default location of object files on hosts that mount it {@code noexec} or read-only: the provider falls back
 * to {@code $XDG_RUNTIME_DIR}, then {@code ~/.cache}, or fails with one line naming every directory tried, why
 * each failed and how to choose one. A directory the application chose never falls back. Real tmpfs mounts; the
 * default choice is made in child JVMs, whose system properties and environment the test sets.
 */
class DefaultDirectoryFallbackTest {

    private static final String NOEXEC = "cannot map the object executable (Operation not permitted): its file system"
            + " may be mounted noexec";
    private static final String READ_ONLY = "Read-only file system";
    private static final String PRIVATE_DIR = "dtrace-provider-" + Tracing.UID;

    @TempDir
    Path base;
    private final List<TmpfsMount> mounts = new ArrayList<>();
    private Path noexec;
    private Path readOnly;
    private Path readOnlyHome;

    @BeforeEach
    void mountFileSystems() throws Exception {
        noexec = mount("noexec", "noexec").path();
        // a read-only location where the private directory exists (creating the file fails) ...
        TmpfsMount withPrivateDir = mount("readonly", "mode=1777");
        Files.createDirectory(withPrivateDir.path().resolve(PRIVATE_DIR),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        withPrivateDir.remountReadOnly();
        readOnly = withPrivateDir.path();
        // ... and one where it does not (creating the directory fails)
        readOnlyHome = mount("readonly-home", "ro").path();
    }

    @AfterEach
    void unmount() {
        mounts.forEach(TmpfsMount::close);
    }

    @Test
    void noexecTmpdirFallsBackToTheRuntimeDirectory() throws Exception {
        Path runtime = Files.createDirectory(base.resolve("xdg-runtime"));
        Map<String, String> environment = environment(runtime);
        try (ChildJvm child = child(List.of("-Djava.io.tmpdir=" + noexec), environment)) {
            Path object = Path.of(child.awaitLine("OBJECT ", TIMEOUT));
            assertThat(object.getParent()).isEqualTo(runtime.resolve(PRIVATE_DIR));
            child.close();
            assertThat(child.stderr()).contains("WARNING: DTrace provider objects go to " + runtime
                    + " ($XDG_RUNTIME_DIR); tried first: " + noexec + " (java.io.tmpdir): " + NOEXEC);
        }
    }

    @Test
    void readOnlyTmpdirWithoutRuntimeDirectoryFallsBackToTheCacheDirectory() throws Exception {
        Path home = Files.createDirectory(base.resolve("home"));
        Map<String, String> environment = environment(null);
        try (ChildJvm child = child(List.of("-Djava.io.tmpdir=" + readOnly, "-Duser.home=" + home), environment)) {
            Path object = Path.of(child.awaitLine("OBJECT ", TIMEOUT));
            Path cache = home.resolve(".cache");
            assertThat(object.getParent()).isEqualTo(cache.resolve(PRIVATE_DIR));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
            child.close();
            assertThat(child.stderr()).contains("WARNING: DTrace provider objects go to " + cache
                    + " (~/.cache); tried first: " + readOnly + " (java.io.tmpdir): cannot create "
                    + readOnly.resolve(PRIVATE_DIR) + "/");
            assertThat(child.stderr()).contains(READ_ONLY + "; $XDG_RUNTIME_DIR is not set");
        }
    }

    @Test
    void configuredDefaultFallsBackToo() throws Exception {
        Path runtime = Files.createDirectory(base.resolve("xdg-runtime"));
        Map<String, String> environment = environment(runtime);
        environment.put("DTRACE_PROVIDER_DIR", readOnlyHome.toString());
        try (ChildJvm child = child(List.of(), environment)) {
            Path object = Path.of(child.awaitLine("OBJECT ", TIMEOUT));
            assertThat(object.getParent()).isEqualTo(runtime.resolve(PRIVATE_DIR));
            child.close();
            assertThat(child.stderr()).contains("tried first: " + readOnlyHome + " ($DTRACE_PROVIDER_DIR): cannot"
                    + " create directory " + readOnlyHome.resolve(PRIVATE_DIR) + ": " + READ_ONLY);
        }
    }

    @Test
    void whenNothingWorksTheMessageNamesEveryDirectoryAndHowToChooseOne() {
        Map<String, String> environment = environment(readOnly);
        List<String> options = List.of("-Ddtrace.provider.dir=" + noexec, "-Duser.home=" + readOnlyHome);
        try (ChildJvm child = child(options, environment)) {
            String failure = child.awaitLine("FAILED ", TIMEOUT);
            assertThat(child.awaitExit()).isEqualTo(3);
            assertThat(failure).doesNotContain("\n")
                    .startsWith("Cannot enable DTrace provider \"")
                    .contains(": no directory for the object file works: "
                            + noexec + " (system property dtrace.provider.dir): " + NOEXEC + "; "
                            + readOnly + " ($XDG_RUNTIME_DIR): cannot create " + readOnly.resolve(PRIVATE_DIR))
                    .contains(READ_ONLY + "; " + readOnlyHome.resolve(".cache") + " (~/.cache): cannot create it: "
                            + "FileSystemException: " + readOnlyHome.resolve(".cache") + ": " + READ_ONLY + "; ")
                    .endsWith("choose a directory with the system property dtrace.provider.dir, the environment"
                            + " variable DTRACE_PROVIDER_DIR, DTraceProvider.Builder.directory(...) or, in Spring"
                            + " Boot, the property dtrace.directory");
        }
    }

    @Test
    void aDirectoryTheApplicationChoseNeverFallsBack() {
        for (Path chosen : List.of(noexec, readOnly)) {
            try (DTraceProvider provider = DTraceProvider.builder(uniqueName("chosen")).directory(chosen).build()) {
                provider.addProbe("p");
                Throwable failure = catchThrowable(provider::enable);
                assertThat(failure).isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("Cannot enable DTrace provider \"" + provider.name() + "\": ")
                        .hasMessageContaining(chosen == noexec ? NOEXEC : READ_ONLY)
                        .message().doesNotContain("\n").doesNotContain("tried").doesNotContain("~/.cache");
                assertThat(provider.isEnabled()).isFalse();
                assertThat(provider.objectPaths()).isEmpty();
            }
        }
    }

    @Test
    void whereJnaCannotUnpackExecutableLibrariesTheReasonSaysHowToFixIt() {
        List<String> options = List.of("-Djava.io.tmpdir=" + noexec, "-Duser.home=" + readOnlyHome);
        try (ChildJvm child = ChildJvm.start(ProviderChild.class, options, environment(null), uniqueName("nojna"),
                "default")) {
            String reason = child.awaitLine("UNSUPPORTED ", TIMEOUT);
            assertThat(child.awaitExit()).isEqualTo(4);
            assertThat(reason).doesNotContain("\n").startsWith("cannot load the native library dtraceprovider: ")
                    .contains("failed to map segment from shared object")
                    .endsWith("that file system must allow execution: set -Djna.tmpdir to a directory that does)");
        }
    }

    private TmpfsMount mount(String name, String options) {
        TmpfsMount mount = TmpfsMount.mount(base.resolve(name), options);
        mounts.add(mount);
        return mount;
    }

    /**
     * The child's environment: no inherited configuration of the directory, the given runtime directory. JNA unpacks
     * its own library into a directory of this test, so that it loads whatever home and tmpdir the child has.
     */
    private Map<String, String> environment(Path runtimeDirectory) {
        Map<String, String> environment = new HashMap<>();
        environment.put("DTRACE_PROVIDER_DIR", null);
        environment.put("XDG_RUNTIME_DIR", runtimeDirectory == null ? null : runtimeDirectory.toString());
        return environment;
    }

    private ChildJvm child(List<String> options, Map<String, String> environment) {
        List<String> jvmOptions = new ArrayList<>(options);
        jvmOptions.add("-Djna.tmpdir=" + base.resolve("jna"));
        return ChildJvm.start(ProviderChild.class, jvmOptions, environment, uniqueName("fallback"), "default");
    }
}
