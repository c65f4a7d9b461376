package io.github.dtraceprovider.core.internal.nativecore;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.core.internal.nativecore.DefaultObjectDirectory.Candidate;

import static org.assertj.core.api.Assertions.assertThat;

/** The order of the default directories and where each comes from; the fallback: DefaultDirectoryFallbackTest. */
class DefaultObjectDirectoryTest {

    private final Map<String, String> properties = new HashMap<>(Map.of("java.io.tmpdir", "/tmp",
            "user.home", "/home/app"));
    private final Map<String, String> environment = new HashMap<>(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"));

    private List<Candidate> candidates() {
        return DefaultObjectDirectory.candidates(properties::get, environment::get);
    }

    @Test
    void tmpdirThenRuntimeDirectoryThenCache() {
        assertThat(candidates()).containsExactly(new Candidate("java.io.tmpdir", Path.of("/tmp")),
                new Candidate("$XDG_RUNTIME_DIR", Path.of("/run/user/1000")),
                new Candidate("~/.cache", Path.of("/home/app/.cache")));
    }

    @Test
    void configuredDirectoryTakesTheFirstPlacePropertyBeforeEnvironment() {
        environment.put("DTRACE_PROVIDER_DIR", "/var/lib/app");
        assertThat(candidates().get(0)).isEqualTo(new Candidate("$DTRACE_PROVIDER_DIR", Path.of("/var/lib/app")));
        properties.put("dtrace.provider.dir", "/opt/probes");
        assertThat(candidates()).extracting(Candidate::source).containsExactly("system property dtrace.provider.dir",
                "$XDG_RUNTIME_DIR", "~/.cache");
        assertThat(candidates().get(0).path()).isEqualTo(Path.of("/opt/probes"));
    }

    @Test
    void blankCountsAsUnsetAndUnsetOnesStayForTheMessage() {
        properties.put("dtrace.provider.dir", " ");
        environment.put("DTRACE_PROVIDER_DIR", "");
        environment.remove("XDG_RUNTIME_DIR");
        properties.remove("user.home");
        assertThat(candidates()).containsExactly(new Candidate("java.io.tmpdir", Path.of("/tmp")),
                new Candidate("$XDG_RUNTIME_DIR", null), new Candidate("~/.cache", null));
    }

    @Test
    void aDirectoryNamedTwiceIsTriedOnce() {
        environment.put("XDG_RUNTIME_DIR", "/tmp");
        assertThat(candidates()).extracting(Candidate::source).containsExactly("java.io.tmpdir", "~/.cache");
    }

    @Test
    void relativePathsAreMadeAbsolute() {
        properties.put("dtrace.provider.dir", "probes");
        assertThat(candidates().get(0).path()).isEqualTo(Path.of("probes").toAbsolutePath());
    }
}
